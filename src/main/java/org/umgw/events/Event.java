package org.umgw.events;

import static java.util.Objects.requireNonNull;

import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One event: {@code {id, level, message, ...details}} as in the JSON outputs.
 *
 * <pre>{@code
 * Event e = Event.of(EventId.DUPLICATE_PEER_IP, now, "IP 192.0.2.10 is reached by 2 names: a, b",
 *     "ip", "192.0.2.10", "names", List.of("a", "b"));
 * }</pre>
 *
 * @param details ordered, JSON-friendly values (strings, numbers, booleans, lists of those)
 */
public record Event(EventId type, Instant time, String message, Map<String, Object> details) {
  /** Severity, spelled as Windows event logs spell it. */
  public enum Level {
    Information,
    Warning,
    Error
  }

  public Event {
    requireNonNull(type, "type == null");
    requireNonNull(time, "time == null");
    requireNonNull(message, "message == null");
    details = Collections.unmodifiableMap(new LinkedHashMap<>(details));
  }

  /**
   * @param keyValues alternating detail keys (strings) and values
   */
  public static Event of(EventId type, Instant time, String message, Object... keyValues) {
    if (keyValues.length % 2 != 0) {
      throw new IllegalArgumentException("details come in key/value pairs");
    }
    Map<String, Object> details = new LinkedHashMap<>();
    for (int i = 0; i < keyValues.length; i += 2) {
      details.put((String) keyValues[i], keyValues[i + 1]);
    }
    return new Event(type, time, message, details);
  }

  public int id() {
    return type.id();
  }

  public Level level() {
    return type.level();
  }

  /** The JSON shape: id, level, message, then the details. */
  public Map<String, Object> toMap() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("id", id());
    m.put("level", level().name());
    m.put("message", message);
    m.put("time", time.toString());
    m.putAll(details);
    return m;
  }

  /**
   * {@code event 1175 Warning: ...}, the form of log lines: one line whatever the message holds
   * (control characters escaped, as {@link Untrusted} does, but not cut).
   */
  @Override
  public String toString() {
    return "event " + id() + " " + level() + ": " + Untrusted.text(message, Integer.MAX_VALUE);
  }
}
