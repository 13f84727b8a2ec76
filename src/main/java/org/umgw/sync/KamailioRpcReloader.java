package org.umgw.sync;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicLong;
import org.umgw.model.UmgwException;

/**
 * Reloads Kamailio's permissions address file through JSON-RPC 2.0 over HTTP ({@code jsonrpcs}
 * served by {@code xhttp}): {@code permissions.addressReload}, checking that the answer is a
 * result, not an error. Kamailio refuses a reload within {@code reload_delta} seconds of the last
 * one ("ongoing reload", and in the meantime keeps the old list): this reloader waits that long
 * after its own last reload before sending, and when Kamailio still answers so (another client
 * reloaded), the failure asks to be retried after the delta.
 */
public final class KamailioRpcReloader implements Reloader {
  private static final ObjectMapper JSON = new ObjectMapper();

  private final URI uri;
  private final Duration reloadDelta;
  private final Duration timeout;
  private final HttpClient http;
  private final AtomicLong ids = new AtomicLong();
  private long lastReloadNanos;
  private boolean reloaded;

  /**
   * @param url {@code http://HOST:PORT/PATH} of Kamailio's JSON-RPC endpoint
   * @param reloadDelta Kamailio's permissions {@code reload_delta} (its default is 5 s)
   * @throws UmgwException naming the URL when it is not an http(s) URL with a host
   */
  public KamailioRpcReloader(String url, Duration reloadDelta, Duration timeout) {
    requireNonNull(url, "url == null");
    URI parsed;
    try {
      parsed = URI.create(url);
    } catch (IllegalArgumentException e) {
      throw new UmgwException(
          "--kamailio-rpc \""
              + url
              + "\": not a URL ("
              + e.getMessage()
              + "); give the http:// URL of Kamailio's jsonrpcs endpoint, like"
              + " http://127.0.0.1:5071/RPC");
    }
    String scheme = parsed.getScheme() == null ? "" : parsed.getScheme().toLowerCase(Locale.ROOT);
    if (!(scheme.equals("http") || scheme.equals("https")) || parsed.getHost() == null) {
      throw new UmgwException(
          "--kamailio-rpc \""
              + url
              + "\": an http:// URL of Kamailio's jsonrpcs endpoint, like"
              + " http://127.0.0.1:5071/RPC");
    }
    this.uri = parsed;
    this.reloadDelta = requireNonNull(reloadDelta, "reloadDelta == null");
    this.timeout = requireNonNull(timeout, "timeout == null");
    this.http = HttpClient.newBuilder().connectTimeout(timeout).build();
  }

  @Override
  public void reload(Path file) throws ReloadException {
    waitForDelta();
    long id = ids.incrementAndGet();
    String body =
        "{\"jsonrpc\":\"2.0\",\"method\":\"permissions.addressReload\",\"id\":" + id + "}";
    HttpResponse<String> response;
    try {
      response =
          http.send(
              HttpRequest.newBuilder(uri)
                  .timeout(timeout)
                  .header("Content-Type", "application/json")
                  .POST(HttpRequest.BodyPublishers.ofString(body))
                  .build(),
              HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new ReloadException(
          "Kamailio JSON-RPC at " + uri + " did not answer: " + e, Duration.ZERO, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new ReloadException("interrupted calling Kamailio at " + uri, Duration.ZERO, e);
    }
    check(response.statusCode(), response.body());
    lastReloadNanos = System.nanoTime();
    reloaded = true;
  }

  /** Kamailio's own rate limit: no reload within reload_delta of our last one. */
  private void waitForDelta() throws ReloadException {
    if (!reloaded || reloadDelta.isZero()) {
      return;
    }
    long wait = lastReloadNanos + reloadDelta.toNanos() - System.nanoTime();
    if (wait > 0) {
      try {
        Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new ReloadException("interrupted waiting for reload_delta", Duration.ZERO, e);
      }
    }
  }

  /**
   * A JSON-RPC answer with a {@code result} is success; an {@code error} (Kamailio answers HTTP 200
   * or 500 with it) is a failure with its code and message.
   */
  void check(int status, String body) throws ReloadException {
    JsonNode root;
    try {
      root = JSON.readTree(body);
    } catch (IOException e) {
      root = null;
    }
    if (root == null || !root.isObject()) {
      throw new ReloadException(
          "Kamailio JSON-RPC at "
              + uri
              + " answered HTTP "
              + status
              + " without a JSON-RPC reply: "
              + abbreviate(body));
    }
    JsonNode error = root.get("error");
    if (error != null && !error.isNull()) {
      String message = error.path("message").asText("");
      boolean tooSoon = message.toLowerCase(Locale.ROOT).contains("ongoing reload");
      throw new ReloadException(
          "Kamailio refused permissions.addressReload at "
              + uri
              + ": "
              + error.path("code").asText("?")
              + " "
              + message
              + (tooSoon ? " (within its reload_delta: retried after " + reloadDelta + ")" : ""),
          tooSoon ? reloadDelta.plusSeconds(1) : Duration.ZERO,
          null);
    }
    if (!root.has("result")) {
      throw new ReloadException(
          "Kamailio JSON-RPC at "
              + uri
              + " answered neither result nor error: "
              + abbreviate(body));
    }
  }

  private static String abbreviate(String body) {
    String s = body == null ? "" : body.strip();
    return s.length() > 200 ? s.substring(0, 200) + "..." : s;
  }

  @Override
  public String describe() {
    return "kamailio " + uri;
  }
}
