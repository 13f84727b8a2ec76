package org.umgw.console;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Map;
import org.eclipse.jetty.http.HttpHeader;
import org.umgw.console.http.Exchange;

/** The console's stylesheet and script, from the jar (no CDN), read once. */
final class StaticFiles {
  private final Map<String, byte[]> files =
      Map.of("console.css", read("console.css"), "console.js", read("console.js"));

  void serve(Exchange x, String name) {
    byte[] body = files.get(name);
    if (body == null) {
      x.send(404, "text/plain; charset=utf-8", "not found\n");
      return;
    }
    x.response().getHeaders().put(HttpHeader.CACHE_CONTROL, "max-age=300");
    x.send(
        200,
        name.endsWith(".css") ? "text/css; charset=utf-8" : "text/javascript; charset=utf-8",
        body);
  }

  private static byte[] read(String name) {
    try (InputStream in = StaticFiles.class.getResourceAsStream("/umgw/console/" + name)) {
      if (in == null) {
        throw new IllegalStateException("umgw/console/" + name + " is missing from the jar");
      }
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
