package org.umgw.console;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.time.Duration;
import java.time.Instant;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.umgw.console.auth.LdapLogin;
import org.umgw.console.auth.LoginThrottle;
import org.umgw.console.auth.Session;
import org.umgw.console.auth.Sessions;
import org.umgw.console.edits.Edits;
import org.umgw.console.http.EventStream;
import org.umgw.console.http.Exchange;
import org.umgw.console.live.LiveState;
import org.umgw.console.pages.DialPlansPage;
import org.umgw.console.pages.EventsPage;
import org.umgw.console.pages.Forms;
import org.umgw.console.pages.GatewayPage;
import org.umgw.console.pages.GatewaysPage;
import org.umgw.console.pages.Html;
import org.umgw.console.pages.Index;
import org.umgw.console.pages.Layout;
import org.umgw.console.pages.PeersPage;
import org.umgw.events.Event;
import org.umgw.events.EventId;
import org.umgw.model.Gateway;
import org.umgw.model.UmgwException;
import org.umgw.service.TrustService;

/**
 * Routes the console's requests: security headers on every answer, the session and its CSRF token
 * checked before any POST does anything, read access (a login, or {@code --anonymous-read}) before
 * any page, then the page or the edit.
 */
final class ConsoleHandler extends Handler.Abstract {
  private static final Logger LOG = LoggerFactory.getLogger(ConsoleHandler.class);
  private static final ObjectMapper JSON =
      new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
  static final String CSP =
      "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; connect-src"
          + " 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

  private final TrustService service;
  private final LiveState live;
  private final Sessions sessions;
  private final LdapLogin login;
  private final boolean anonymousRead;
  private final int maxEvents;
  private final String directory;
  private final Edits edits;
  private final EventStream stream;
  private final StaticFiles files = new StaticFiles();
  private final LoginThrottle throttle = new LoginThrottle(java.time.Clock.systemUTC());

  ConsoleHandler(
      TrustService service,
      LiveState live,
      Sessions sessions,
      LdapLogin login,
      boolean anonymousRead,
      int maxEvents,
      String directory) {
    this.service = service;
    this.live = live;
    this.sessions = sessions;
    this.login = login;
    this.anonymousRead = anonymousRead;
    this.maxEvents = maxEvents;
    this.directory = directory;
    this.edits =
        new Edits(service, (x, title, body) -> page(x, 200, title, null, session(x), body));
    this.stream = new EventStream(live);
  }

  @Override
  public boolean handle(Request request, Response response, Callback callback) {
    Exchange x = new Exchange(request, response, callback);
    var h = response.getHeaders();
    h.put("Content-Security-Policy", CSP);
    h.put("X-Content-Type-Options", "nosniff");
    h.put("X-Frame-Options", "DENY");
    h.put("Referrer-Policy", "no-referrer");
    h.put("Cross-Origin-Opener-Policy", "same-origin");
    if (x.secure()) {
      h.put("Strict-Transport-Security", "max-age=31536000");
    }
    try {
      sessions.sweepIfDue();
      route(x);
    } catch (RuntimeException e) {
      LOG.warn("console: {} {} failed: {}", x.method(), x.path(), e.toString(), e);
      page(
          x,
          500,
          "Something went wrong",
          null,
          null,
          new Html().el("p", "The console could not answer: " + e.getMessage()));
    }
    return true;
  }

  private void route(Exchange x) {
    String path = x.path();
    boolean post = "POST".equals(x.method());
    if (!post && !"GET".equals(x.method()) && !"HEAD".equals(x.method())) {
      x.response().getHeaders().put(HttpHeader.ALLOW, "GET, HEAD, POST");
      x.send(405, "text/plain; charset=utf-8", "method not allowed\n");
      return;
    }
    if (path.startsWith("/static/")) {
      files.serve(x, path.substring("/static/".length()));
      return;
    }
    Session s = session(x);
    if (post) {
      if (s == null || !Sessions.csrfMatches(s, x.form("csrf"))) {
        page(
            x,
            403,
            "Refused",
            null,
            s,
            new Html()
                .el(
                    "p",
                    "This form has no valid security token (CSRF), or your session ended. Reload the"
                        + " page and try again.",
                    "role",
                    "alert"));
        return;
      }
      switch (path) {
        case "/login" -> doLogin(x, s);
        case "/logout" -> {
          sessions.remove(s);
          x.sessionCookie("", Duration.ZERO);
          x.redirect("/login");
        }
        default -> {
          if (!s.loggedIn()) {
            page(
                x,
                403,
                "Log in to make changes",
                null,
                s,
                new Html()
                    .open("p")
                    .text("Changes need a login. ")
                    .link("/login", "Log in")
                    .close("p"));
          } else if (path.startsWith("/gateway/")) {
            edits.handle(path.substring("/gateway/".length()), x, s);
          } else {
            notFound(x, s);
          }
        }
      }
      return;
    }
    if (path.equals("/login")) {
      if (s == null) {
        s = sessions.anonymous();
        x.sessionCookie(s.id(), sessions.idle());
      }
      page(x, 200, "Log in", null, s, Forms.login(s, "", hint()));
      return;
    }
    if (!(anonymousRead || (s != null && s.loggedIn()))) {
      x.redirect("/login");
      return;
    }
    boolean canEdit = s != null && s.loggedIn();
    Index index = Index.of(service.snapshot());
    switch (path) {
      case "/" -> x.redirect("/peers");
      case "/peers" ->
          page(
              x,
              200,
              "Trusted peers",
              "/peers",
              s,
              PeersPage.body(index, x.query("q"), x.query("page")));
      case "/peers.json" -> json(x, PeersPage.json(service.snapshot()));
      case "/gateways" ->
          page(
              x,
              200,
              "Gateways",
              "/gateways",
              s,
              GatewaysPage.body(
                  index,
                  service.health().orElse(null),
                  x.query("q"),
                  x.query("dp"),
                  x.query("page"),
                  canEdit));
      case "/gateway" -> gateway(x, s, index, canEdit);
      case "/gateway/new" -> {
        if (canEdit) {
          page(x, 200, "New gateway", "/gateways", s, Forms.newGateway(s, index));
        } else {
          x.redirect("/login");
        }
      }
      case "/dial-plans" -> page(x, 200, "Dial plans", "/dial-plans", s, DialPlansPage.body(index));
      case "/events" -> page(x, 200, "Events", "/events", s, EventsPage.body(live, maxEvents));
      case "/events/stream" -> {
        Session session = s;
        stream.serve(x, after(x), () -> anonymousRead || sessions.find(session.id()) != null);
      }
      default -> notFound(x, s);
    }
  }

  private void gateway(Exchange x, Session s, Index index, boolean canEdit) {
    String name = x.query("name");
    Gateway g = name == null ? null : index.gateway(name);
    if (g == null) {
      page(
          x,
          404,
          "No such gateway",
          "/gateways",
          s,
          new Html()
              .open("p")
              .text("There is no gateway \"" + (name == null ? "" : name) + "\" in the directory. ")
              .link("/gateways", "All gateways")
              .close("p"));
      return;
    }
    page(
        x,
        200,
        "Gateway " + g.name(),
        "/gateways",
        s,
        GatewayPage.body(index, g, service.health().orElse(null), live, s, canEdit));
  }

  private void doLogin(Exchange x, Session s) {
    String user = x.form("user");
    String password = x.form("password");
    if (!throttle.allowed(x.remoteAddress())) {
      LOG.debug("console: login of \"{}\" from {} throttled", user, x.remoteAddress());
      Html body =
          new Html()
              .el(
                  "p",
                  "Too many refused logins from your address: try again in a few minutes.",
                  "class",
                  "flash error",
                  "role",
                  "alert");
      page(x, 429, "Log in", null, s, body.add(Forms.login(s, user, hint())));
      return;
    }
    try {
      LdapLogin.LoggedIn in = login.login(user, password);
      throttle.succeeded(x.remoteAddress());
      String dn = in.dn();
      Session fresh = sessions.login(s, dn, in.store());
      x.sessionCookie(fresh.id(), sessions.idle());
      LOG.info("console: {} logged in from {}", dn, x.remoteAddress());
      x.redirect("/gateways");
    } catch (LdapLogin.Refused e) {
      throttle.failed(x.remoteAddress());
      service.raise(
          Event.of(
              EventId.CONSOLE_LOGIN_REFUSED,
              Instant.now(),
              "console: login refused for \""
                  + user
                  + "\" from "
                  + x.remoteAddress()
                  + ": "
                  + e.getMessage(),
              "user",
              String.valueOf(user),
              "from",
              x.remoteAddress()));
      Html body =
          new Html()
              .el(
                  "p",
                  "Login refused: " + e.getMessage() + ".",
                  "class",
                  "flash error",
                  "role",
                  "alert");
      page(x, 401, "Log in", null, s, body.add(Forms.login(s, user, hint())));
    } catch (UmgwException e) {
      LOG.warn("console: login of \"{}\" failed: {}", user, e.getMessage());
      Html body =
          new Html()
              .el(
                  "p",
                  "Cannot log in now: " + e.getMessage(),
                  "class",
                  "flash error",
                  "role",
                  "alert");
      page(x, 503, "Log in", null, s, body.add(Forms.login(s, user, hint())));
    }
  }

  private String hint() {
    return "Your directory account: a full DN, or a uid or cn found under "
        + login.loginBase()
        + ". The directory's access control decides what you may change.";
  }

  private static long after(Exchange x) {
    String v = x.request().getHeaders().get("Last-Event-ID");
    if (v == null) {
      v = x.query("after");
    }
    try {
      return v == null ? 0 : Long.parseLong(v.strip());
    } catch (NumberFormatException e) {
      // A resume point the console never sent: start from the remembered events.
      return 0;
    }
  }

  private Session session(Exchange x) {
    return sessions.find(x.cookie(Exchange.SESSION_COOKIE));
  }

  private void notFound(Exchange x, Session s) {
    page(
        x,
        404,
        "Not found",
        null,
        s,
        new Html().open("p").text("No page here. ").link("/peers", "Trusted peers").close("p"));
  }

  private void page(Exchange x, int status, String title, String nav, Session s, Html body) {
    x.response().getHeaders().put(HttpHeader.CACHE_CONTROL, "no-store");
    x.html(status, Layout.page(title, nav, s, service, directory, body));
  }

  private static void json(Exchange x, Object doc) {
    try {
      x.response().getHeaders().put(HttpHeader.CACHE_CONTROL, "no-store");
      x.send(200, "application/json", JSON.writeValueAsString(doc) + "\n");
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot render JSON", e);
    }
  }
}
