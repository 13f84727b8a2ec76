package org.umgw.console.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.util.Blocker;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.umgw.console.live.LiveState;
import org.umgw.console.pages.EventsPage;

/**
 * {@code /events/stream}: server-sent events, one {@code event} message per console event (JSON of
 * its text fields, the sequence number as the SSE id so a reconnecting browser resumes after the
 * last one it saw). Each stream holds one server thread, so there are at most {@link #MAX_STREAMS};
 * a stream whose client is too slow (a full queue) is ended and the browser reconnects.
 */
public final class EventStream {
  private static final Logger LOG = LoggerFactory.getLogger(EventStream.class);
  public static final int MAX_STREAMS = 32;
  private static final int QUEUE = 256;
  private static final long HEARTBEAT_SECONDS = 15;
  private static final ObjectMapper JSON = new ObjectMapper();

  private final LiveState live;
  private final AtomicInteger open = new AtomicInteger();

  public EventStream(LiveState live) {
    this.live = live;
  }

  /**
   * Streams until the client goes away or {@code stillAllowed} turns false (session ended). Blocks
   * the calling (server) thread.
   */
  public void serve(Exchange x, long after, BooleanSupplier stillAllowed) {
    if (open.incrementAndGet() > MAX_STREAMS) {
      open.decrementAndGet();
      x.response().getHeaders().put(HttpHeader.RETRY_AFTER, "30");
      x.send(503, "text/plain; charset=utf-8", "too many live streams; reload later\n");
      return;
    }
    BlockingQueue<LiveState.Logged> queue = new LinkedBlockingQueue<>(QUEUE);
    boolean[] overflow = {false};
    Consumer<LiveState.Logged> subscriber =
        l -> {
          if (!queue.offer(l)) {
            overflow[0] = true;
          }
        };
    live.subscribe(subscriber);
    try {
      x.response().setStatus(200);
      x.response().getHeaders().put(HttpHeader.CONTENT_TYPE, "text/event-stream; charset=utf-8");
      x.response().getHeaders().put(HttpHeader.CACHE_CONTROL, "no-store");
      write(x, false, "retry: 3000\n\n");
      List<LiveState.Logged> backlog = live.events(Integer.MAX_VALUE);
      for (int i = backlog.size() - 1; i >= 0; i--) {
        if (backlog.get(i).seq() > after) {
          write(x, false, message(backlog.get(i)));
        }
      }
      long lastSent = backlog.isEmpty() ? after : Math.max(after, backlog.get(0).seq());
      while (stillAllowed.getAsBoolean() && !overflow[0]) {
        LiveState.Logged l = queue.poll(HEARTBEAT_SECONDS, TimeUnit.SECONDS);
        if (l == null) {
          write(x, false, ": keep-alive\n\n");
        } else if (l.seq() > lastSent) {
          write(x, false, message(l));
          lastSent = l.seq();
        }
      }
      write(x, true, "");
      x.callback().succeeded();
    } catch (IOException e) {
      LOG.debug("console: event stream to {} ended: {}", x.remoteAddress(), e.toString());
      x.callback().failed(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      x.callback().failed(e);
    } finally {
      live.unsubscribe(subscriber);
      open.decrementAndGet();
    }
  }

  private static String message(LiveState.Logged l) throws JsonProcessingException {
    return "id: "
        + l.seq()
        + "\nevent: umgw\ndata: "
        + JSON.writeValueAsString(EventsPage.streamed(l))
        + "\n\n";
  }

  private static void write(Exchange x, boolean last, String text) throws IOException {
    try (Blocker.Callback b = Blocker.callback()) {
      x.response().write(last, ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8)), b);
      b.block();
    }
  }
}
