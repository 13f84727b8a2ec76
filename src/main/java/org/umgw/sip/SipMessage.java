package org.umgw.sip;

import static java.nio.charset.StandardCharsets.UTF_8;
import static java.util.Objects.requireNonNull;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * One RFC 3261 SIP request or response: start line, ordered headers, body. Immutable.
 *
 * <pre>{@code
 * SipMessage req = SipMessage.parse(bytes, 0, length, SipMessage.DEFAULT_MAX_SIZE);
 * SipMessage resp = SipMessage.response(req, 403, "Forbidden"); // echoes Via/From/To/Call-ID/CSeq
 * channel.send(ByteBuffer.wrap(resp.toBytes()), source);
 * }</pre>
 *
 * <p>Header names are matched case-insensitively and compact forms ({@code v f t i l m c k s e})
 * are read as their long names; messages are written with the long names. A Content-Length that is
 * present is honoured (a datagram's extra bytes are ignored, a shorter body is malformed); without
 * one the body is the rest of the datagram. Messages above a size limit are refused before parsing,
 * so a hostile peer costs at most one bounded buffer.
 */
public final class SipMessage {
  /** 8 KiB: far above any OPTIONS exchange, far below a 64 KiB datagram. */
  public static final int DEFAULT_MAX_SIZE = 8 * 1024;

  private static final String TOKEN_MARKS = ".!%*_+`'~-";
  private static final Map<String, String> COMPACT =
      Map.of(
          "v", "Via",
          "f", "From",
          "t", "To",
          "i", "Call-ID",
          "l", "Content-Length",
          "m", "Contact",
          "c", "Content-Type",
          "k", "Supported",
          "s", "Subject",
          "e", "Content-Encoding");
  private static final Map<String, String> CANONICAL =
      Map.ofEntries(
          Map.entry("via", "Via"),
          Map.entry("from", "From"),
          Map.entry("to", "To"),
          Map.entry("call-id", "Call-ID"),
          Map.entry("cseq", "CSeq"),
          Map.entry("content-length", "Content-Length"),
          Map.entry("contact", "Contact"),
          Map.entry("content-type", "Content-Type"),
          Map.entry("max-forwards", "Max-Forwards"),
          Map.entry("user-agent", "User-Agent"),
          Map.entry("accept", "Accept"),
          Map.entry("allow", "Allow"),
          Map.entry("supported", "Supported"),
          Map.entry("server", "Server"));

  private static final Map<String, String> EXACT = exactNames();

  private static Map<String, String> exactNames() {
    Map<String, String> m = new java.util.HashMap<>();
    CANONICAL.values().forEach(v -> m.put(v, v));
    return Map.copyOf(m);
  }

  /** One header field, name in canonical spelling. */
  public record Header(String name, String value) {
    public Header {
      requireNonNull(name, "name == null");
      requireNonNull(value, "value == null");
      name = canonicalName(name);
      if (value.indexOf('\r') >= 0 || value.indexOf('\n') >= 0) {
        throw new IllegalArgumentException("header " + name + " value contains CR/LF: " + value);
      }
    }
  }

  /** The CSeq header: sequence number and method. */
  public record CSeq(long number, String method) {
    @Override
    public String toString() {
      return number + " " + method;
    }
  }

  private final String method; // null for a response
  private final String requestUri;
  private final int statusCode;
  private final String reason;
  private final List<Header> headers;
  private final byte[] body;

  private SipMessage(
      String method,
      String requestUri,
      int statusCode,
      String reason,
      List<Header> headers,
      byte[] body) {
    this.method = method;
    this.requestUri = requestUri;
    this.statusCode = statusCode;
    this.reason = reason;
    this.headers = List.copyOf(headers);
    this.body = body.clone();
  }

  /**
   * A request; Content-Length is computed when written.
   *
   * @throws IllegalArgumentException when the method is not a SIP token or the URI has spaces
   */
  public static SipMessage request(String method, String requestUri, List<Header> headers) {
    requireNonNull(method, "method == null");
    requireNonNull(requestUri, "requestUri == null");
    if (!isToken(method)) {
      throw new IllegalArgumentException("SIP method is not a token: " + method);
    }
    if (requestUri.isEmpty() || hasSpaceOrControl(requestUri)) {
      throw new IllegalArgumentException("SIP request URI is empty or has spaces: " + requestUri);
    }
    return new SipMessage(method, requestUri, 0, null, withoutLength(headers), new byte[0]);
  }

  /**
   * A response with any headers; most callers want {@link #response(SipMessage, int, String)}.
   *
   * @throws IllegalArgumentException when the code is not 100..699 or the reason has CR/LF
   */
  public static SipMessage response(int code, String reason, List<Header> headers) {
    requireNonNull(reason, "reason == null");
    if (code < 100 || code > 699) {
      throw new IllegalArgumentException("SIP status code out of range 100..699: " + code);
    }
    if (reason.indexOf('\r') >= 0 || reason.indexOf('\n') >= 0) {
      throw new IllegalArgumentException("SIP reason phrase contains CR/LF: " + reason);
    }
    return new SipMessage(null, null, code, reason, withoutLength(headers), new byte[0]);
  }

  /**
   * The response to {@code request} as RFC 3261 8.2.6 builds it: every Via, From, To (with a To tag
   * added when the request had none and the code is above 100), Call-ID and CSeq copied;
   * Content-Length 0.
   *
   * @throws IllegalArgumentException when {@code request} is a response
   */
  public static SipMessage response(SipMessage request, int code, String reason) {
    if (!request.isRequest()) {
      throw new IllegalArgumentException("cannot answer a response: " + request.startLine());
    }
    List<Header> hs = new ArrayList<>();
    for (Header h : request.headers) {
      switch (h.name()) {
        case "Via", "From", "Call-ID", "CSeq" -> hs.add(h);
        case "To" -> {
          String to = h.value();
          if (code > 100 && param(to, "tag").isEmpty()) {
            to = to + ";tag=" + SipIds.tag();
          }
          hs.add(new Header("To", to));
        }
        default -> {}
      }
    }
    return response(code, reason, hs);
  }

  /** A copy with {@code name: value} appended. */
  public SipMessage withHeader(String name, String value) {
    List<Header> hs = new ArrayList<>(headers);
    Header h = new Header(name, value);
    if (h.name().equals("Content-Length")) {
      return this;
    }
    hs.add(h);
    return new SipMessage(method, requestUri, statusCode, reason, hs, body);
  }

  /** A copy with this body (its Content-Type header is the caller's). */
  public SipMessage withBody(byte[] newBody) {
    return new SipMessage(method, requestUri, statusCode, reason, headers, newBody);
  }

  /**
   * Parses one message from a datagram (or a frame cut by {@link #frameLength}).
   *
   * @throws SipParseException when the message is malformed or longer than {@code maxSize}
   */
  public static SipMessage parse(byte[] data, int offset, int length, int maxSize)
      throws SipParseException {
    if (length > maxSize) {
      throw new SipParseException("message of " + length + " bytes exceeds " + maxSize);
    }
    int end = offset + length;
    int headEnd = indexOfBlankLine(data, offset, end);
    if (headEnd < 0) {
      throw new SipParseException("no blank line after the headers");
    }
    // RFC 3261 7.5: SIP/2.0 messages are UTF-8 text in the start line and headers.
    String head = new String(data, offset, headEnd - offset, UTF_8);
    int bodyStart = headEnd + (data[headEnd] == '\r' ? 4 : 2);
    List<String> lines = lines(head);
    int first = 0;
    while (first < lines.size() && lines.get(first).isEmpty()) {
      first++; // RFC 3261 7.5: CRLFs before the start line are ignored
    }
    if (first == lines.size()) {
      throw new SipParseException("no start line");
    }
    for (int i = first; i < lines.size(); i++) {
      // RFC 3261 7.3.1: CR appears only in CRLF; a bare one would end the line for some readers
      // and not others, and a header value holding one cannot be written back.
      if (lines.get(i).indexOf('\r') >= 0) {
        throw new SipParseException("bare CR in line " + (i + 1) + ": " + abbreviate(lines.get(i)));
      }
    }
    List<Header> hs = new ArrayList<>();
    String pendingName = null;
    StringBuilder pendingValue = null;
    for (int i = first + 1; i < lines.size(); i++) {
      String line = lines.get(i);
      if (!line.isEmpty() && (line.charAt(0) == ' ' || line.charAt(0) == '\t')) {
        if (pendingName == null) {
          throw new SipParseException("continuation line before any header");
        }
        pendingValue.append(' ').append(line.strip());
        continue;
      }
      if (pendingName != null) {
        hs.add(header(pendingName, pendingValue.toString()));
      }
      int colon = line.indexOf(':');
      if (colon <= 0) {
        throw new SipParseException("header line without a name: " + abbreviate(line));
      }
      pendingName = line.substring(0, colon).strip();
      if (!isToken(pendingName)) {
        throw new SipParseException("bad header name: " + abbreviate(pendingName));
      }
      pendingValue = new StringBuilder(line.substring(colon + 1).strip());
    }
    if (pendingName != null) {
      hs.add(header(pendingName, pendingValue.toString()));
    }
    byte[] body;
    List<String> lengths = values(hs, "Content-Length");
    if (lengths.isEmpty()) {
      body = Arrays.copyOfRange(data, bodyStart, end);
    } else {
      int declared = contentLength(lengths);
      if (declared > end - bodyStart) {
        throw new SipParseException(
            "Content-Length " + declared + " exceeds the " + (end - bodyStart) + " body bytes");
      }
      body = Arrays.copyOfRange(data, bodyStart, bodyStart + declared);
    }
    List<Header> kept = withoutLength(hs);
    String start = lines.get(first);
    if (start.startsWith("SIP/2.0 ")) {
      String rest = start.substring(8);
      if (rest.length() < 3 || !rest.substring(0, 3).chars().allMatch(Character::isDigit)) {
        throw new SipParseException("bad status line: " + abbreviate(start));
      }
      int code = Integer.parseInt(rest.substring(0, 3));
      if (code < 100 || code > 699 || rest.length() > 3 && rest.charAt(3) != ' ') {
        throw new SipParseException("bad status line: " + abbreviate(start));
      }
      String why = rest.length() > 4 ? rest.substring(4) : "";
      return new SipMessage(null, null, code, why, kept, body);
    }
    String[] parts = start.split(" ", -1);
    if (parts.length != 3
        || !parts[2].equals("SIP/2.0")
        || !isToken(parts[0])
        || parts[1].isEmpty()) {
      throw new SipParseException("bad start line: " + abbreviate(start));
    }
    return new SipMessage(parts[0], parts[1], 0, null, kept, body);
  }

  /**
   * The length of the first complete message in a stream buffer, or -1 when more bytes are needed.
   * Stream transports require Content-Length (RFC 3261 18.3); leading CRLF keep-alives are counted
   * in the length.
   *
   * @throws SipParseException when the head exceeds {@code maxSize} without ending, the message
   *     would, or Content-Length is missing or bad
   */
  public static int frameLength(byte[] data, int offset, int length, int maxSize)
      throws SipParseException {
    int end = offset + length;
    int headEnd = indexOfBlankLine(data, offset, end);
    if (headEnd < 0) {
      if (length > maxSize) {
        throw new SipParseException("message head exceeds " + maxSize + " bytes");
      }
      return -1;
    }
    int bodyStart = headEnd + (data[headEnd] == '\r' ? 4 : 2);
    String head = new String(data, offset, headEnd - offset, UTF_8);
    List<String> lengths = new ArrayList<>();
    for (String line : lines(head)) {
      int colon = line.indexOf(':');
      if (colon > 0) {
        String name = canonicalName(line.substring(0, colon).strip());
        if (name.equals("Content-Length")) {
          lengths.add(line.substring(colon + 1).strip());
        }
      }
    }
    if (lengths.isEmpty()) {
      throw new SipParseException("no Content-Length on a stream transport");
    }
    long total = (long) bodyStart - offset + contentLength(lengths);
    if (total > maxSize) {
      throw new SipParseException("message of " + total + " bytes exceeds " + maxSize);
    }
    return total <= length ? (int) total : -1;
  }

  /** The message as sent: start line, headers, Content-Length, blank line, body. */
  public byte[] toBytes() {
    StringBuilder sb = new StringBuilder(256).append(startLine()).append("\r\n");
    for (Header h : headers) {
      sb.append(h.name()).append(": ").append(h.value()).append("\r\n");
    }
    sb.append("Content-Length: ").append(body.length).append("\r\n\r\n");
    byte[] head = sb.toString().getBytes(UTF_8);
    if (body.length == 0) {
      return head;
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream(head.length + body.length);
    out.writeBytes(head);
    out.writeBytes(body);
    return out.toByteArray();
  }

  public boolean isRequest() {
    return method != null;
  }

  /** The request method, or empty for a response. */
  public Optional<String> method() {
    return Optional.ofNullable(method);
  }

  /** The request URI, or empty for a response. */
  public Optional<String> requestUri() {
    return Optional.ofNullable(requestUri);
  }

  /** The status code of a response; 0 for a request. */
  public int statusCode() {
    return statusCode;
  }

  /** The reason phrase of a response; empty for a request. */
  public String reason() {
    return reason == null ? "" : reason;
  }

  public String startLine() {
    return isRequest()
        ? method + " " + requestUri + " SIP/2.0"
        : "SIP/2.0 " + statusCode + (reason.isEmpty() ? "" : " " + reason);
  }

  /** Every header except Content-Length (that one is derived from the body). */
  public List<Header> headers() {
    return headers;
  }

  /** The first value of a header (any spelling, compact forms included). */
  public Optional<String> header(String name) {
    List<String> vs = values(headers, name);
    return vs.isEmpty() ? Optional.empty() : Optional.of(vs.get(0));
  }

  /** Every value of a header in order, comma-separated Via values split apart. */
  public List<String> headerValues(String name) {
    String canonical = canonicalName(name);
    List<String> vs = values(headers, canonical);
    if (!canonical.equals("Via")) {
      return vs;
    }
    List<String> split = new ArrayList<>();
    for (String v : vs) {
      for (String part : v.split(",")) {
        if (!part.isBlank()) {
          split.add(part.strip());
        }
      }
    }
    return split;
  }

  public byte[] body() {
    return body.clone();
  }

  /** The topmost Via value. */
  public Optional<String> topVia() {
    List<String> vias = headerValues("Via");
    return vias.isEmpty() ? Optional.empty() : Optional.of(vias.get(0));
  }

  /** The branch parameter of the topmost Via. */
  public Optional<String> branch() {
    return topVia().flatMap(v -> param(v, "branch"));
  }

  public Optional<String> callId() {
    return header("Call-ID");
  }

  /** The CSeq header, or empty when absent or malformed. */
  public Optional<CSeq> cseq() {
    Optional<String> v = header("CSeq");
    if (v.isEmpty()) {
      return Optional.empty();
    }
    String text = v.get().strip();
    int sp = 0;
    while (sp < text.length() && text.charAt(sp) != ' ' && text.charAt(sp) != '\t') {
      sp++;
    }
    String number = text.substring(0, sp);
    String m = text.substring(sp).strip();
    if (number.isEmpty() || number.length() > 10 || !isToken(m)) {
      return Optional.empty();
    }
    long n = 0;
    for (int i = 0; i < number.length(); i++) {
      char c = number.charAt(i);
      if (c < '0' || c > '9') {
        return Optional.empty();
      }
      n = n * 10 + (c - '0');
    }
    return n >= (1L << 31) ? Optional.empty() : Optional.of(new CSeq(n, m));
  }

  /**
   * A header parameter ({@code ;name=value}, name case-insensitive) after the URI or sent-by; the
   * value of a bare parameter is "".
   */
  public static Optional<String> param(String headerValue, String name) {
    // Parameters follow the closing '>' of a name-addr, or the first ';' otherwise.
    int from = headerValue.lastIndexOf('>');
    String params = headerValue.substring(from < 0 ? 0 : from + 1);
    int semi = params.indexOf(';');
    if (semi < 0) {
      return Optional.empty();
    }
    for (String p : params.substring(semi + 1).split(";")) {
      int eq = p.indexOf('=');
      String key = (eq < 0 ? p : p.substring(0, eq)).strip();
      if (key.equalsIgnoreCase(name)) {
        return Optional.of(eq < 0 ? "" : p.substring(eq + 1).strip());
      }
    }
    return Optional.empty();
  }

  @Override
  public String toString() {
    return new String(toBytes(), UTF_8);
  }

  /** A parsed header; a value folded onto an empty first line starts without the fold's space. */
  private static Header header(String name, String value) {
    return new Header(name, value.strip());
  }

  static String canonicalName(String name) {
    String exact = EXACT.get(name);
    if (exact != null) {
      return exact; // the usual case: already canonical, no allocation
    }
    String lower = name.toLowerCase(Locale.ROOT);
    String c = COMPACT.get(lower);
    if (c != null) {
      return c;
    }
    c = CANONICAL.get(lower);
    return c != null ? c : name;
  }

  private static List<String> values(List<Header> hs, String name) {
    String canonical = canonicalName(name);
    List<String> vs = new ArrayList<>(2);
    for (Header h : hs) {
      if (h.name().equalsIgnoreCase(canonical)) {
        vs.add(h.value());
      }
    }
    return vs;
  }

  private static List<Header> withoutLength(List<Header> hs) {
    List<Header> kept = new ArrayList<>(hs.size());
    for (Header h : hs) {
      if (!h.name().equals("Content-Length")) {
        kept.add(h);
      }
    }
    return kept;
  }

  /** The lines of a head, split at LF with an optional CR before it. */
  private static List<String> lines(String head) {
    List<String> out = new ArrayList<>(12);
    int from = 0;
    while (true) {
      int lf = head.indexOf('\n', from);
      int end = lf < 0 ? head.length() : lf;
      int cut = end > from && head.charAt(end - 1) == '\r' ? end - 1 : end;
      out.add(head.substring(from, cut));
      if (lf < 0) {
        return out;
      }
      from = lf + 1;
    }
  }

  private static boolean isToken(String s) {
    if (s.isEmpty()) {
      return false;
    }
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      boolean ok =
          c >= 'a' && c <= 'z'
              || c >= 'A' && c <= 'Z'
              || c >= '0' && c <= '9'
              || TOKEN_MARKS.indexOf(c) >= 0;
      if (!ok) {
        return false;
      }
    }
    return true;
  }

  private static boolean hasSpaceOrControl(String s) {
    for (int i = 0; i < s.length(); i++) {
      if (s.charAt(i) <= ' ') {
        return true;
      }
    }
    return false;
  }

  private static int contentLength(List<String> values) throws SipParseException {
    String first = values.get(0);
    for (String v : values) {
      if (!v.equals(first)) {
        throw new SipParseException("conflicting Content-Length values: " + values);
      }
    }
    if (first.isEmpty() || first.length() > 9 || !first.chars().allMatch(Character::isDigit)) {
      throw new SipParseException("bad Content-Length: " + abbreviate(first));
    }
    return Integer.parseInt(first);
  }

  /** Index of the CRLFCRLF (or LFLF) that ends the head, or -1. */
  private static int indexOfBlankLine(byte[] d, int from, int end) {
    int start = from;
    while (start + 1 < end && d[start] == '\r' && d[start + 1] == '\n') {
      start += 2; // leading keep-alive CRLFs
    }
    for (int i = start; i < end - 1; i++) {
      if (d[i] == '\n' && d[i + 1] == '\n') {
        return i;
      }
      if (i + 3 < end && d[i] == '\r' && d[i + 1] == '\n' && d[i + 2] == '\r' && d[i + 3] == '\n') {
        return i;
      }
    }
    return -1;
  }

  private static String abbreviate(String s) {
    String clean = s.replaceAll("\\p{Cntrl}", "?");
    return clean.length() <= 80 ? clean : clean.substring(0, 80) + "...";
  }

  /**
   * The user part of a sip:/sips:/tel: Request-URI, without parameters ("" when there is none): the
   * pilot a call is routed by.
   */
  public static String requestUser(String uri) {
    String u = uri;
    int colon = u.indexOf(':');
    if (colon >= 0) {
      u = u.substring(colon + 1);
    }
    int at = u.indexOf('@');
    if (at < 0) {
      return uri.startsWith("tel:") ? beforeParameters(u) : "";
    }
    return beforeParameters(u.substring(0, at));
  }

  private static String beforeParameters(String s) {
    int semi = s.indexOf(';');
    return semi < 0 ? s : s.substring(0, semi);
  }
}
