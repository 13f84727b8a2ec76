package org.umgw.console;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.umgw.cli.CliRunner;
import org.umgw.directory.DirectoryLayout;
import org.umgw.testing.TestCa;

/**
 * The console over HTTPS on the embedded directory, seen by a plain HTTP client: anonymous reading
 * with {@code --anonymous-read}, the cookie's flags and the security headers, CSRF and login checks
 * before any change, the session id renewed at login, and the trusted peers as JSON equal to {@code
 * trust-list show --format json}.
 */
class ConsoleHttpsTest {
  @TempDir Path tmp;

  @Test
  void httpsSessionsCsrfAndPeersJson() throws Exception {
    Path data = tmp.resolve("umgw-data");
    assertThat(CliRunner.run(Map.of(), "init", "--data-dir", data.toString()).code()).isZero();
    CliRunner.Result show =
        CliRunner.run(
            Map.of(),
            "trust-list",
            "show",
            "--format",
            "json",
            "--data-dir",
            data.toString(),
            "--dns-server",
            "127.0.0.1:9",
            "--dns-timeout",
            "200");
    assertThat(show.code()).as(show.toString()).isZero();
    TestCa ca = TestCa.create(tmp, "console");
    TestCa.Issued cert = ca.issue("console", "localhost", List.of("localhost", "127.0.0.1"));

    try (ConsoleBrowserTest.RunningConsole console =
        ConsoleBrowserTest.RunningConsole.start(
            "--data-dir",
            data.toString(),
            "--dns-server",
            "127.0.0.1:9",
            "--dns-timeout",
            "200",
            "--tls-cert",
            cert.chain().toString(),
            "--tls-key",
            cert.key().toString(),
            "--anonymous-read",
            "--listen",
            "127.0.0.1:0")) {
      String url = console.url();
      assertThat(url).startsWith("https://127.0.0.1:");
      SSLContext tls = SSLContext.getInstance("TLS");
      tls.init(null, new TrustManager[] {ca.trustManager()}, null);
      HttpClient http = HttpClient.newBuilder().sslContext(tls).build();

      // Anonymous read: the pages, no forms to change anything.
      HttpResponse<String> gateways = get(http, url + "/gateways", null);
      assertThat(gateways.statusCode()).isEqualTo(200);
      assertThat(gateways.body()).contains("Tokyo-Gateway").doesNotContain("New gateway");
      assertThat(gateways.headers().firstValue("content-security-policy").orElseThrow())
          .contains("script-src 'self'", "frame-ancestors 'none'")
          .doesNotContain("unsafe-inline");
      assertThat(gateways.headers().firstValue("x-content-type-options")).hasValue("nosniff");
      assertThat(gateways.headers().firstValue("strict-transport-security")).isPresent();

      // /peers.json: the addresses and members of trust-list show --format json (before any
      // change).
      ObjectMapper json = new ObjectMapper();
      JsonNode cli = json.readTree(show.out());
      JsonNode web = json.readTree(get(http, url + "/peers.json", null).body());
      assertThat(summary(web)).isEqualTo(summary(cli)).isNotEmpty();

      // The login form's session: a Secure, HttpOnly, SameSite=Strict cookie.
      HttpResponse<String> form = get(http, url + "/login", null);
      String setCookie = form.headers().firstValue("set-cookie").orElseThrow();
      assertThat(setCookie).contains("Secure", "HttpOnly", "SameSite=Strict");
      String cookie = setCookie.substring(0, setCookie.indexOf(';'));
      String csrf = csrf(form.body());

      // Before anything: the CSRF token, then a login.
      assertThat(post(http, url + "/gateway/enable", cookie, "name", "Legacy-PBX").statusCode())
          .isEqualTo(403);
      HttpResponse<String> anonymous =
          post(http, url + "/gateway/enable", cookie, "csrf", csrf, "name", "Legacy-PBX");
      assertThat(anonymous.statusCode()).isEqualTo(403);
      assertThat(anonymous.body()).contains("Changes need a login");

      // A login renews the session id; the old one is gone.
      String password = Files.readString(data.resolve("admin.pw")).strip();
      HttpResponse<String> login =
          post(
              http,
              url + "/login",
              cookie,
              "csrf",
              csrf,
              "user",
              "cn=admin," + DirectoryLayout.DEFAULT_BASE,
              "password",
              password);
      assertThat(login.statusCode()).as(login.body()).isEqualTo(303);
      String renewed = login.headers().firstValue("set-cookie").orElseThrow();
      String newCookie = renewed.substring(0, renewed.indexOf(';'));
      assertThat(newCookie).isNotEqualTo(cookie);
      assertThat(get(http, url + "/gateway/new", cookie).statusCode()).isEqualTo(303);
      HttpResponse<String> newForm = get(http, url + "/gateway/new", newCookie);
      assertThat(newForm.body()).contains("Create");
      // The token of the old session is worth nothing in the new one.
      assertThat(
              post(http, url + "/gateway/enable", newCookie, "csrf", csrf, "name", "Legacy-PBX")
                  .statusCode())
          .isEqualTo(403);
      HttpResponse<String> enabled =
          post(
              http,
              url + "/gateway/enable",
              newCookie,
              "csrf",
              csrf(newForm.body()),
              "name",
              "Legacy-PBX");
      assertThat(enabled.statusCode()).isEqualTo(303);
      assertThat(get(http, url + "/gateway?name=Legacy-PBX", newCookie).body())
          .contains("is now Enabled");

      // Settings, create with a dial plan, remove: remove asks first.
      String token = csrf(newForm.body());
      assertThat(
              post(
                      http,
                      url + "/gateway/set",
                      newCookie,
                      "csrf",
                      token,
                      "name",
                      "Tokyo-Gateway",
                      "port",
                      "5070",
                      "outcalls",
                      "false",
                      "mwi",
                      "true",
                      "simulator",
                      "true")
                  .statusCode())
          .isEqualTo(303);
      assertThat(get(http, url + "/gateway?name=Tokyo-Gateway", newCookie).body())
          .contains("updated UM IP gateway");
      assertThat(
              post(
                      http,
                      url + "/gateway/set",
                      newCookie,
                      "csrf",
                      token,
                      "name",
                      "Tokyo-Gateway",
                      "port",
                      "http",
                      "outcalls",
                      "false",
                      "mwi",
                      "true",
                      "simulator",
                      "true")
                  .statusCode())
          .isEqualTo(303);
      assertThat(get(http, url + "/gateway?name=Tokyo-Gateway", newCookie).body())
          .contains("Refused: port &quot;http&quot;: a number from 0 to 65535");
      assertThat(
              post(
                      http,
                      url + "/gateway/new",
                      newCookie,
                      "csrf",
                      token,
                      "name",
                      "New-GW",
                      "address",
                      "192.0.2.77",
                      "port",
                      "5060",
                      "dialPlan",
                      "Contoso Extensions")
                  .statusCode())
          .isEqualTo(303);
      assertThat(get(http, url + "/gateway?name=New-GW", newCookie).body())
          .contains("created UM IP gateway", "Default Hunt Group in Contoso Extensions");
      HttpResponse<String> ask =
          post(http, url + "/gateway/remove", newCookie, "csrf", token, "name", "Spare-Gateway");
      assertThat(ask.statusCode()).isEqualTo(200);
      assertThat(ask.body()).contains("Remove Spare-Gateway?", "name=\"confirm\" value=\"yes\"");
      assertThat(
              post(
                      http,
                      url + "/gateway/remove",
                      newCookie,
                      "csrf",
                      token,
                      "name",
                      "Spare-Gateway",
                      "confirm",
                      "yes")
                  .statusCode())
          .isEqualTo(303);
    }
    // What the console wrote is in the directory.
    String tokyo =
        CliRunner.run(
                Map.of(),
                "gateway",
                "get",
                "Tokyo-Gateway",
                "--format",
                "json",
                "--data-dir",
                data.toString())
            .out();
    assertThat(tokyo)
        .contains("\"port\" : 5070", "\"outcallsAllowed\" : false", "\"simulator\" : true");
    assertThat(
            CliRunner.run(
                    Map.of(),
                    "huntgroup",
                    "get",
                    "--gateway",
                    "New-GW",
                    "--data-dir",
                    data.toString())
                .out())
        .contains("Default Hunt Group", "Contoso Extensions");
    assertThat(
            CliRunner.run(
                    Map.of(), "gateway", "get", "Spare-Gateway", "--data-dir", data.toString())
                .code())
        .isEqualTo(1);
  }

  /** Address, transport, port and members of each peer (what the two outputs must agree on). */
  private static List<String> summary(JsonNode doc) {
    List<String> out = new ArrayList<>();
    for (JsonNode p : doc.get("peers")) {
      out.add(
          p.get("address").asText()
              + " "
              + p.get("transport").asText()
              + "/"
              + p.get("port").asText()
              + " "
              + p.get("gateways")
              + " "
              + p.get("servers"));
    }
    return out;
  }

  private static final Pattern CSRF = Pattern.compile("name=\"csrf\" value=\"([^\"]+)\"");

  private static String csrf(String page) {
    Matcher m = CSRF.matcher(page);
    assertThat(m.find()).as("a CSRF field in %s", page).isTrue();
    return m.group(1);
  }

  private static HttpResponse<String> get(HttpClient http, String url, String cookie)
      throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url));
    if (cookie != null) {
      b.header("Cookie", cookie);
    }
    return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  private static HttpResponse<String> post(
      HttpClient http, String url, String cookie, String... fields) throws Exception {
    StringBuilder body = new StringBuilder();
    for (int i = 0; i < fields.length; i += 2) {
      body.append(i == 0 ? "" : "&")
          .append(fields[i])
          .append('=')
          .append(URLEncoder.encode(fields[i + 1], StandardCharsets.UTF_8));
    }
    return http.send(
        HttpRequest.newBuilder(URI.create(url))
            .header("Cookie", cookie)
            .header("Content-Type", "application/x-www-form-urlencoded")
            .POST(HttpRequest.BodyPublishers.ofString(body.toString()))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }
}
