package org.umgw.trust;

import com.google.common.net.InetAddresses;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.umgw.dns.NameResolver;
import org.umgw.dns.Resolution;
import org.umgw.model.IpAddressFamily;

/** A resolver whose answers a test sets and changes: for timing and failure cases only. */
final class ScriptedResolver implements NameResolver {
  private final Map<String, Resolution> answers = new ConcurrentHashMap<>();
  final AtomicInteger queries = new AtomicInteger();

  void answer(String name, Duration ttl, String... ips) {
    answers.put(
        name,
        new Resolution.Addresses(
            name, List.of(ips).stream().map(InetAddresses::forString).toList(), ttl));
  }

  void nxdomain(String name, Duration ttl) {
    answers.put(name, new Resolution.NoAddress(name, Resolution.NoAddress.Kind.NXDOMAIN, ttl));
  }

  void fail(String name, String reason) {
    answers.put(name, new Resolution.Failure(name, reason, false));
  }

  @Override
  public CompletionStage<Resolution> resolve(String name, IpAddressFamily family) {
    queries.incrementAndGet();
    Resolution r = answers.get(name);
    return CompletableFuture.completedFuture(
        r != null
            ? r
            : new Resolution.NoAddress(
                name, Resolution.NoAddress.Kind.NXDOMAIN, Duration.ofSeconds(60)));
  }

  @Override
  public void close() {}
}
