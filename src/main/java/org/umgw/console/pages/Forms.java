package org.umgw.console.pages;

import org.umgw.console.auth.Session;

/** The pages that are only a form: log in, confirm a change that drops calls, new gateway. */
public final class Forms {
  private Forms() {}

  public static Html login(Session s, String user, String loginHint) {
    Html h = new Html();
    h.open("form", "method", "post", "action", "/login", "class", "card narrow");
    Layout.csrf(h, s);
    h.open("div", "class", "field").el("label", "User (DN, uid or cn)", "for", "user");
    h.empty(
        "input",
        "type",
        "text",
        "id",
        "user",
        "name",
        "user",
        "value",
        user,
        "autocomplete",
        "username",
        "required",
        "",
        "autofocus",
        "",
        "spellcheck",
        "false",
        "autocapitalize",
        "off");
    h.close("div");
    h.open("div", "class", "field").el("label", "Password", "for", "password");
    h.empty(
        "input",
        "type",
        "password",
        "id",
        "password",
        "name",
        "password",
        "autocomplete",
        "current-password",
        "required",
        "");
    h.close("div");
    h.el("button", "Log in", "type", "submit");
    h.el("p", loginHint, "class", "muted");
    h.close("form");
    return h;
  }

  /**
   * "Are you sure": the same action again with {@code confirm=yes}, or back to the gateway.
   *
   * @param extraName an additional hidden field carried over (e.g. {@code mode}), or {@code null}
   */
  public static Html confirm(
      Session s,
      String action,
      String gateway,
      String question,
      String button,
      String extraName,
      String extraValue) {
    Html h = new Html();
    h.open("form", "method", "post", "action", action, "class", "card narrow confirm");
    GatewayPage.hidden(h, s, gateway);
    if (extraName != null) {
      h.empty("input", "type", "hidden", "name", extraName, "value", extraValue);
    }
    h.empty("input", "type", "hidden", "name", "confirm", "value", "yes");
    h.el("p", question, "role", "alert");
    h.el("button", button, "type", "submit", "class", "danger");
    h.text(" ").link(Pager.gatewayHref(gateway), "Cancel");
    h.close("form");
    return h;
  }

  public static Html newGateway(Session s, Index index) {
    Html h = new Html();
    h.open("form", "method", "post", "action", "/gateway/new", "class", "card narrow");
    Layout.csrf(h, s);
    text(h, "name", "Name", true);
    text(h, "address", "Address (IPv4, IPv6 or FQDN)", true);
    portField(h, 0);
    h.open("div", "class", "field")
        .el("label", "Dial plan (creates the Default Hunt Group)", "for", "dialPlan");
    h.open("select", "id", "dialPlan", "name", "dialPlan");
    h.el("option", "(none)", "value", "");
    index.dialPlans.keySet().forEach(dp -> h.el("option", dp, "value", dp));
    h.close("select").close("div");
    h.el("button", "Create", "type", "submit");
    h.close("form");
    return h;
  }

  /** The port field of the new-gateway and settings forms (0 = the transport's default). */
  static void portField(Html h, int port) {
    h.open("div", "class", "field").el("label", "Port (0 = transport default)", "for", "port");
    h.empty(
        "input",
        "type",
        "number",
        "id",
        "port",
        "name",
        "port",
        "min",
        "0",
        "max",
        "65535",
        "value",
        String.valueOf(port),
        "inputmode",
        "numeric");
    h.close("div");
  }

  /** A GET filter box ({@code q}) that works without JavaScript; the caller closes the form. */
  static void filterBox(Html h, String action, String q, String placeholder) {
    h.open("form", "method", "get", "action", action, "class", "filter", "role", "search");
    h.el("label", "Filter", "for", "q");
    h.empty(
        "input", "type", "search", "id", "q", "name", "q", "value", q, "placeholder", placeholder);
  }

  private static void text(Html h, String name, String label, boolean required) {
    h.open("div", "class", "field").el("label", label, "for", name);
    h.empty(
        "input",
        "type",
        "text",
        "id",
        name,
        "name",
        name,
        "required",
        required ? "" : null,
        "spellcheck",
        "false",
        "autocapitalize",
        "off");
    h.close("div");
  }
}
