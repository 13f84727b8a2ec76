package org.umgw.console.edits;

import java.time.Instant;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.umgw.console.auth.Session;
import org.umgw.console.http.Exchange;
import org.umgw.console.pages.Forms;
import org.umgw.console.pages.Html;
import org.umgw.directory.DirectoryStore;
import org.umgw.events.Event;
import org.umgw.events.EventId;
import org.umgw.model.Gateway;
import org.umgw.model.HuntGroup;
import org.umgw.model.UmgwException;
import org.umgw.service.TrustService;

/**
 * The console's changes, each one call of the {@link DirectoryStore} the CLI uses (so the same
 * rules refuse the same changes with the same message), over the session's connection bound as the
 * logged-in user (so the directory's access control decides). Outcomes go back as a one-time
 * message and a redirect (POST-redirect-GET), and as events 9802 (done) / 9803 (refused).
 */
public final class Edits {
  private static final Logger LOG = LoggerFactory.getLogger(Edits.class);

  /** Renders a page inside the console's frame (for the confirmation pages). */
  @FunctionalInterface
  public interface PageWriter {
    void write(Exchange x, String title, Html body);
  }

  private final TrustService service;
  private final PageWriter pages;

  public Edits(TrustService service, PageWriter pages) {
    this.service = service;
    this.pages = pages;
  }

  /** Carries out {@code action} ({@code enable}, {@code disable}, {@code set}, ...). */
  public void handle(String action, Exchange x, Session s) {
    String name = x.form("name");
    String back = name == null ? "/gateways" : gatewayHref(name);
    String verb =
        switch (action) {
          case "set" -> "change";
          case "new" -> "create";
          default -> action;
        };
    String what = verb + " gateway" + (name == null ? "" : " " + name);
    try {
      DirectoryStore store = s.store();
      switch (action) {
        case "enable" -> {
          Gateway g = store.enableGateway(required(name, "name"));
          done(s, what, g.ref() + " is now " + g.status());
        }
        case "disable" -> {
          boolean immediate = "Disabled".equals(x.form("mode"));
          if (immediate && !"yes".equals(x.form("confirm"))) {
            pages.write(
                x,
                "Drop the calls of " + name + "?",
                Forms.confirm(
                    s,
                    "/gateway/disable",
                    name,
                    "Disabling "
                        + name
                        + " now drops every call in progress through it"
                        + " (Status Disabled). To let current calls finish, choose \"refuse new"
                        + " calls\" instead.",
                    "Drop calls and disable",
                    "mode",
                    "Disabled"));
            return;
          }
          Gateway g = store.disableGateway(required(name, "name"), immediate);
          done(s, what, g.ref() + " is now " + g.status());
        }
        case "set" -> {
          int port = Fields.port(x.form("port"));
          boolean outcalls = Fields.bool(x.form("outcalls"), "outcalls");
          boolean mwi = Fields.bool(x.form("mwi"), "mwi");
          boolean simulator = Fields.bool(x.form("simulator"), "simulator");
          Gateway g =
              store.updateGateway(
                  required(name, "name"),
                  old ->
                      old.toBuilder()
                          .port(port)
                          .outcallsAllowed(outcalls)
                          .messageWaitingIndicatorAllowed(mwi)
                          .simulator(simulator)
                          .build());
          done(s, what, "updated " + g.ref());
        }
        case "remove" -> {
          if (!"yes".equals(x.form("confirm"))) {
            pages.write(
                x,
                "Remove " + name + "?",
                Forms.confirm(
                    s,
                    "/gateway/remove",
                    name,
                    "Removing "
                        + name
                        + " deletes it and its hunt groups; calls through it are"
                        + " dropped and it is no longer trusted.",
                    "Remove",
                    null,
                    null));
            return;
          }
          store.removeGateway(required(name, "name"));
          done(s, what, "removed gateway " + name);
          back = "/gateways";
        }
        case "new" -> {
          Gateway g =
              Gateway.builder(required(name, "name"), required(x.form("address"), "address"))
                  .port(Fields.port(x.form("port")))
                  .build();
          String dialPlan = x.form("dialPlan");
          dialPlan = dialPlan == null || dialPlan.isBlank() ? null : dialPlan;
          store.createGateway(g, dialPlan);
          done(
              s,
              what,
              "created "
                  + g.ref()
                  + (dialPlan == null
                      ? ""
                      : " with its " + HuntGroup.DEFAULT_NAME + " in " + dialPlan));
          back = gatewayHref(g.name());
        }
        default -> throw new UmgwException("no such change: " + action);
      }
    } catch (UmgwException e) {
      refused(s, x, what, e);
      if ("new".equals(action)) {
        back = "/gateway/new";
      }
    }
    x.redirect(back);
  }

  private void done(Session s, String what, String message) {
    s.flash(message, false);
    service.raise(
        Event.of(
            EventId.CONSOLE_EDIT,
            Instant.now(),
            "console: " + s.userDn() + ": " + message,
            "user",
            s.userDn(),
            "change",
            what.strip()));
  }

  private void refused(Session s, Exchange x, String what, UmgwException e) {
    String message = e.getMessage();
    s.flash("Refused: " + message, true);
    LOG.debug("console: {} refused for {}", what, s.userDn(), e);
    service.raise(
        Event.of(
            EventId.CONSOLE_EDIT_REFUSED,
            Instant.now(),
            "console: " + s.userDn() + " may not " + what.strip() + ": " + message,
            "user",
            s.userDn(),
            "change",
            what.strip(),
            "from",
            x.remoteAddress()));
  }

  private static String required(String value, String field) {
    if (value == null || value.isBlank()) {
      throw new UmgwException("the form has no " + field);
    }
    return value.strip();
  }

  public static String gatewayHref(String name) {
    return "/gateway?name="
        + java.net.URLEncoder.encode(name, java.nio.charset.StandardCharsets.UTF_8);
  }
}
