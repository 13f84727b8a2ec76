package org.umgw.console.http;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.eclipse.jetty.http.HttpCookie;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.FormFields;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.Fields;

/**
 * One request and its response over Jetty's core API, with the few things the console needs: query
 * and form fields, the session cookie, HTML answers and redirects.
 */
public final class Exchange {
  private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(Exchange.class);

  /** The session cookie's name. */
  public static final String SESSION_COOKIE = "umgw_session";

  /** Largest form the console reads (every form is a few short fields). */
  private static final int MAX_FORM_BYTES = 16 * 1024;

  private final Request request;
  private final Response response;
  private final Callback callback;
  private Fields query;
  private Fields form;

  public Exchange(Request request, Response response, Callback callback) {
    this.request = request;
    this.response = response;
    this.callback = callback;
  }

  public String method() {
    return request.getMethod();
  }

  public String path() {
    return request.getHttpURI().getDecodedPath();
  }

  public boolean secure() {
    return request.isSecure();
  }

  public String remoteAddress() {
    return Request.getRemoteAddr(request);
  }

  public Request request() {
    return request;
  }

  public Response response() {
    return response;
  }

  public Callback callback() {
    return callback;
  }

  /** A query parameter, or {@code null}. */
  public String query(String name) {
    if (query == null) {
      query = Request.extractQueryParameters(request, StandardCharsets.UTF_8);
    }
    return query.getValue(name);
  }

  /** A form field of a POST (application/x-www-form-urlencoded), or {@code null}. */
  public String form(String name) {
    if (form == null) {
      String type = request.getHeaders().get(HttpHeader.CONTENT_TYPE);
      if (type == null || !type.startsWith("application/x-www-form-urlencoded")) {
        form = new Fields();
      } else {
        try {
          form = FormFields.getFields(request, 64, MAX_FORM_BYTES);
        } catch (RuntimeException e) {
          // Too large, too many fields or malformed: read as no fields, so the CSRF check refuses
          // the request (403) before anything else.
          LOG.debug("console: unreadable form from {}: {}", remoteAddress(), e.toString());
          form = new Fields();
        }
      }
    }
    return form.getValue(name);
  }

  public String cookie(String name) {
    for (HttpCookie c : Request.getCookies(request)) {
      if (c.getName().equals(name)) {
        return c.getValue();
      }
    }
    return null;
  }

  /**
   * Sets the session cookie: HttpOnly, SameSite=Strict, Secure over HTTPS, whole site; {@code
   * maxAge} zero deletes it.
   */
  public void sessionCookie(String value, Duration maxAge) {
    HttpCookie c =
        HttpCookie.build(SESSION_COOKIE, value)
            .path("/")
            .httpOnly(true)
            .secure(secure())
            .sameSite(HttpCookie.SameSite.STRICT)
            .maxAge(maxAge.toSeconds())
            .build();
    Response.replaceCookie(response, c);
  }

  public void html(int status, String body) {
    send(status, "text/html; charset=utf-8", body);
  }

  public void send(int status, String contentType, String body) {
    send(status, contentType, body.getBytes(StandardCharsets.UTF_8));
  }

  public void send(int status, String contentType, byte[] body) {
    response.setStatus(status);
    response.getHeaders().put(HttpHeader.CONTENT_TYPE, contentType);
    response.getHeaders().put(HttpHeader.CONTENT_LENGTH, body.length);
    response.write(true, ByteBuffer.wrap(body), callback);
  }

  /** 303 See Other to a path of this site (after a POST: the browser GETs it). */
  public void redirect(String location) {
    response.setStatus(303);
    response.getHeaders().put(HttpHeader.LOCATION, location);
    response.getHeaders().put(HttpHeader.CONTENT_LENGTH, 0);
    Content.Sink.write(response, true, "", callback);
  }
}
