package org.umgw.dns;

import java.util.concurrent.CompletionStage;
import org.umgw.model.IpAddressFamily;

/** Resolves host names to the addresses of the wanted families; the DNS seam of umgw. */
public interface NameResolver extends AutoCloseable {
  /** Never completes exceptionally: every outcome is a {@link Resolution}. */
  CompletionStage<Resolution> resolve(String name, IpAddressFamily family);

  @Override
  void close();
}
