package org.umgw.testing;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * One 389-DS instance loaded with {@code ldif/sample.ldif} for the whole test run, shared by every
 * test class that registers this extension with the same settings: creating an instance costs
 * several seconds, so the classes that test the CLI, the trust list and the feed against 389 share
 * one. It is removed when the run ends (JUnit closes what the root store holds). Classes that
 * change the sample must put it back; classes that stop the server must start it again.
 *
 * <pre>{@code
 * @RegisterExtension static final SampleDs389 DS = SampleDs389.persistentSearch();
 * ... DS.ds().url() ... DS.hosts() ...
 * }</pre>
 */
public final class SampleDs389 implements BeforeAllCallback {
  private final boolean contentSync;
  private Shared shared;

  private SampleDs389(boolean contentSync) {
    this.contentSync = contentSync;
  }

  /** 389's defaults: persistent search, no changelog, no content sync. */
  public static SampleDs389 persistentSearch() {
    return new SampleDs389(false);
  }

  /** With the Retro Changelog and Content Synchronization plugins enabled. */
  public static SampleDs389 contentSync() {
    return new SampleDs389(true);
  }

  @Override
  public void beforeAll(ExtensionContext context) {
    shared =
        context
            .getRoot()
            .getStore(ExtensionContext.Namespace.create(SampleDs389.class))
            .getOrComputeIfAbsent(
                contentSync ? "content-sync" : "persistent-search",
                k -> Shared.start(contentSync),
                Shared.class);
    if (!shared.ds.isRunning()) {
      shared.ds.restart();
    }
  }

  public Ds389 ds() {
    return shared.ds;
  }

  /** The sample's names plus localhost, for {@code --hosts-file}. */
  public Path hosts() {
    return shared.hosts;
  }

  /** The instance and its hosts file, closed by JUnit at the end of the run. */
  static final class Shared implements AutoCloseable {
    final Ds389 ds;
    final Path hosts;

    private Shared(Ds389 ds, Path hosts) {
      this.ds = ds;
      this.hosts = hosts;
    }

    static Shared start(boolean contentSync) {
      Ds389 ds = Ds389.start(Ds389.options().contentSync(contentSync));
      try {
        return new Shared(ds, Slapd.sampleHostsFile());
      } catch (java.io.IOException e) {
        ds.close();
        throw new java.io.UncheckedIOException(e);
      }
    }

    @Override
    public void close() throws Exception {
      try {
        ds.close();
      } finally {
        Files.deleteIfExists(hosts);
      }
    }
  }
}
