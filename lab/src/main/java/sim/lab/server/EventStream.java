package sim.lab.server;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

/**
 * A session's changes as server-sent events: after each change one {@code update} with the new view, the
 * events and narration lines the client has not seen, or a {@code reset} with all of them when the timeline was
 * rebuilt (a rewind, an action, a new plan). A comment line every 15 s keeps idle connections open; the loop
 * ends when the client goes away or the session is closed.
 */
final class EventStream {
  private static final long KEEPALIVE_MILLIS = 15_000;

  private final LabSession session;
  private final ObjectMapper json;
  private int epoch = -1;
  private int sentEvents;
  private int sentFeed;

  EventStream(LabSession session, ObjectMapper json) {
    this.session = session;
    this.json = json;
  }

  void serve(HttpExchange x) throws IOException {
    x.getResponseHeaders().set("Content-Type", "text/event-stream; charset=utf-8");
    x.getResponseHeaders().set("Cache-Control", "no-store");
    x.sendResponseHeaders(200, 0);
    OutputStream out = x.getResponseBody();
    while (true) {
      long version = session.version();
      String data;
      try {
        data = session.call(this::payload);
      } catch (LabError e) {
        return; // the session was closed
      }
      write(out, "event: update\ndata: " + data + "\n\n");
      try {
        long seen = session.awaitChange(version, KEEPALIVE_MILLIS);
        while (seen == version) {
          write(out, ": keepalive\n\n");
          seen = session.awaitChange(version, KEEPALIVE_MILLIS);
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
  }

  /** Runs on the session's thread: what this client has not seen yet. */
  private String payload() throws IOException {
    boolean reset = session.epoch() != epoch;
    if (reset) {
      epoch = session.epoch();
      sentEvents = 0;
      sentFeed = 0;
    }
    String events = session.eventsJson(sentEvents);
    var feed = session.feed(sentFeed);
    var view = session.view();
    sentEvents = (int) (long) (Long) view.get("events");
    sentFeed += ((java.util.List<?>) feed.get("lines")).size();
    return "{\"reset\":" + reset + ",\"view\":" + json.writeValueAsString(view) + ",\"events\":" + events
        + ",\"feed\":" + json.writeValueAsString(feed) + "}";
  }

  private static void write(OutputStream out, String text) throws IOException {
    out.write(text.getBytes(StandardCharsets.UTF_8));
    out.flush();
  }
}
