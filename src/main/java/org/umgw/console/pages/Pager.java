package org.umgw.console.pages;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.List;

/** One page of a long list, and the previous/next links (which keep the filter). */
record Pager(int page, int size, int total) {
  static final int DEFAULT_SIZE = 50;

  static Pager of(String pageParam, int total, int size) {
    int p = 1;
    if (pageParam != null) {
      try {
        p = Integer.parseInt(pageParam.strip());
      } catch (NumberFormatException e) {
        p = 1; // a hand-edited link: the first page rather than an error page
      }
    }
    int pages = Math.max(1, (total + size - 1) / size);
    return new Pager(Math.min(Math.max(1, p), pages), size, total);
  }

  int pages() {
    return Math.max(1, (total + size - 1) / size);
  }

  <T> List<T> slice(List<T> all) {
    int from = Math.min((page - 1) * size, all.size());
    return all.subList(from, Math.min(from + size, all.size()));
  }

  /** "Previous · page N of M (T items) · Next", in a nav landmark. */
  void links(Html h, String path, String filter, String what) {
    links(h, path, filter, null, what);
  }

  /** The same, keeping a dial plan filter ({@code dp}) too. */
  void links(Html h, String path, String filter, String dialPlan, String what) {
    h.open("nav", "class", "pager", "aria-label", "Pages of " + what);
    if (page > 1) {
      h.link(href(path, filter, dialPlan, page - 1), "← Previous", "rel", "prev");
    }
    h.el("span", "Page " + page + " of " + pages() + " (" + total + " " + what + ")");
    if (page < pages()) {
      h.link(href(path, filter, dialPlan, page + 1), "Next →", "rel", "next");
    }
    h.close("nav");
  }

  static String href(String path, String filter, String dialPlan, int page) {
    StringBuilder b = new StringBuilder(path).append("?page=").append(page);
    if (filter != null && !filter.isEmpty()) {
      b.append("&q=").append(URLEncoder.encode(filter, StandardCharsets.UTF_8));
    }
    if (dialPlan != null && !dialPlan.isEmpty()) {
      b.append("&dp=").append(URLEncoder.encode(dialPlan, StandardCharsets.UTF_8));
    }
    return b.toString();
  }

  static String dialPlanGatewaysHref(String dialPlan) {
    return "/gateways?dp=" + URLEncoder.encode(dialPlan, StandardCharsets.UTF_8);
  }

  static String gatewayHref(String name) {
    return "/gateway?name=" + URLEncoder.encode(name, StandardCharsets.UTF_8);
  }

  static String dialPlanHref(String name) {
    return "/dial-plans#" + dialPlanId(name);
  }

  /** The dial plan's section id: letters and digits kept, anything else a hyphen. */
  static String dialPlanId(String name) {
    return "dp-" + name.toLowerCase(java.util.Locale.ROOT).replaceAll("[^a-z0-9]+", "-");
  }
}
