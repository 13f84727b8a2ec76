package org.umgw.sync;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.umgw.model.UmgwException;
import org.umgw.testing.Kamailio;
import org.umgw.testing.Sipp;

/** {@link KamailioRpcReloader} against a real Kamailio's jsonrpcs: what it accepts and refuses. */
class KamailioRpcReloaderTest {
  private static final Duration TIMEOUT = Duration.ofSeconds(5);

  @TempDir Path dir;

  @Test
  void reload_takesTheNewFile_andARefusedFileIsAFailureNamingKamailiosAnswer() throws Exception {
    Path file = dir.resolve("address.list");
    Files.writeString(file, "1 127.0.0.2 32 0 gw1\n");
    try (Kamailio k = Kamailio.builder().addressFile(file).jsonRpc(true).start()) {
      KamailioRpcReloader reloader =
          new KamailioRpcReloader(k.jsonRpcUrl(), Duration.ZERO, TIMEOUT);
      Files.writeString(file, "1 127.0.0.3 32 0 gw2\n");
      reloader.reload(file);
      assertThat(Sipp.options("127.0.0.3", k.address())).isEqualTo(200);
      assertThat(Sipp.options("127.0.0.2", k.address())).isEqualTo(403);

      Files.writeString(file, "1 127.0.0.4 33 0 bad-mask\n");
      assertThatThrownBy(() -> reloader.reload(file))
          .isInstanceOf(ReloadException.class)
          .hasMessageContaining("Kamailio refused permissions.addressReload")
          .hasMessageContaining("Reload failed");
      assertThat(Sipp.options("127.0.0.3", k.address())).isEqualTo(200);
    }
  }

  @Test
  void withinReloadDelta_kamailioAnswersOngoingReload_andTheFailureAsksToWaitTheDelta()
      throws Exception {
    Path file = dir.resolve("address.list");
    Files.writeString(file, "1 127.0.0.2 32 0 gw1\n");
    try (Kamailio k = Kamailio.builder().addressFile(file).jsonRpc(true).reloadDelta(60).start()) {
      // Configured without the delta (0), as an operator who left --reload-delta out might.
      KamailioRpcReloader careless =
          new KamailioRpcReloader(k.jsonRpcUrl(), Duration.ZERO, TIMEOUT);
      careless.reload(file);
      ReloadException e =
          org.junit.jupiter.api.Assertions.assertThrows(
              ReloadException.class, () -> careless.reload(file));
      assertThat(e).hasMessageContaining("ongoing reload");
      assertThat(e.retryAfter()).isEqualTo(Duration.ofSeconds(1));
    }
  }

  @Test
  void reloadDelta_isRespectedBeforeSending() throws Exception {
    Path file = dir.resolve("address.list");
    Files.writeString(file, "1 127.0.0.2 32 0 gw1\n");
    try (Kamailio k = Kamailio.builder().addressFile(file).jsonRpc(true).reloadDelta(2).start()) {
      KamailioRpcReloader reloader =
          new KamailioRpcReloader(k.jsonRpcUrl(), Duration.ofSeconds(2), TIMEOUT);
      reloader.reload(file);
      Files.writeString(file, "1 127.0.0.3 32 0 gw2\n");
      long t0 = System.nanoTime();
      reloader.reload(file); // waits out Kamailio's reload_delta instead of being refused
      assertThat(Duration.ofNanos(System.nanoTime() - t0)).isGreaterThan(Duration.ofMillis(1500));
      assertThat(Sipp.options("127.0.0.3", k.address())).isEqualTo(200);
    }
  }

  @Test
  void notKamailio_isAFailureNamingTheUrl() throws Exception {
    Path file = dir.resolve("address.list");
    Files.writeString(file, "1 127.0.0.2 32 0 gw1\n");
    try (Kamailio k = Kamailio.builder().addressFile(file).jsonRpc(true).start()) {
      String wrongPath = k.jsonRpcUrl().replace("/RPC", "/nothing");
      KamailioRpcReloader reloader = new KamailioRpcReloader(wrongPath, Duration.ZERO, TIMEOUT);
      assertThatThrownBy(() -> reloader.reload(file))
          .isInstanceOf(ReloadException.class)
          .hasMessageContaining(wrongPath)
          .hasMessageContaining("HTTP 404");
    }
  }

  @Test
  void badUrl_isRefusedUpFront() {
    assertThatThrownBy(() -> new KamailioRpcReloader("127.0.0.1:5071", Duration.ZERO, TIMEOUT))
        .isInstanceOf(UmgwException.class)
        .hasMessageContaining("--kamailio-rpc \"127.0.0.1:5071\"")
        .hasMessageContaining("http://");
  }
}
