package org.umgw.testing;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * One slapd loaded with {@code ldif/sample.ldif} and the sample's hosts file for a whole test
 * class, started before its first test and stopped after its last:
 *
 * <pre>{@code
 * @RegisterExtension static final SampleSlapd SAMPLE = new SampleSlapd();
 * ... SAMPLE.slapd().url() ... SAMPLE.hosts() ...
 * }</pre>
 */
public final class SampleSlapd implements BeforeAllCallback, AfterAllCallback {
  private Slapd slapd;
  private Path hosts;

  @Override
  public void beforeAll(ExtensionContext context) throws Exception {
    slapd = Slapd.startWithSample();
    hosts = Slapd.sampleHostsFile();
  }

  @Override
  public void afterAll(ExtensionContext context) throws Exception {
    if (slapd != null) {
      slapd.close();
    }
    if (hosts != null) {
      Files.deleteIfExists(hosts);
    }
  }

  public Slapd slapd() {
    return slapd;
  }

  /** The sample's names plus localhost, for {@code --hosts-file}. */
  public Path hosts() {
    return hosts;
  }
}
