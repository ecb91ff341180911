package sim.lab.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import sim.core.check.BreakRule;
import sim.core.scenario.Scenario;
import sim.core.scenario.ScenarioRegistry;
import sim.lab.diagram.HtmlDiagram;

/**
 * {@code ./sim ui}: the live lab, served by the JDK's own HTTP server on 127.0.0.1 only. The page is one
 * HTML document (no network fetches); the API is JSON, and each session streams its changes as server-sent
 * events. A bad request is answered with a 4xx and a message saying what is wrong; nothing a client sends can
 * stop the server. A request whose Host header is not this loopback address is refused (a page elsewhere
 * cannot reach the lab through DNS rebinding).
 */
public final class LabServer implements AutoCloseable {
  static final int MAX_BODY_BYTES = 64 * 1024;
  static final int MAX_SESSIONS = 16;
  /** Open server-sent event streams, all sessions together: each holds a handler thread while it is open. */
  static final int MAX_STREAMS = 32;
  private static final ObjectMapper JSON = new ObjectMapper();

  private final HttpServer server;
  private final ExecutorService handlers;
  private final ScenarioRegistry registry;
  private final Map<String, LabSession> sessions = new LinkedHashMap<>();
  private final AtomicInteger nextId = new AtomicInteger(1);
  private final AtomicInteger streams = new AtomicInteger();
  private final Sweeps sweeps;
  private final String page;

  private LabServer(HttpServer server, ScenarioRegistry registry) {
    this.server = server;
    this.registry = registry;
    this.sweeps = new Sweeps(registry);
    this.page = page();
    this.handlers = Executors.newCachedThreadPool(r -> {
      Thread t = new Thread(r, "lab-http");
      t.setDaemon(true);
      return t;
    });
    server.setExecutor(handlers);
    server.createContext("/", this::handle);
  }

  /** Starts on 127.0.0.1:{@code port} (0: any free port). */
  public static LabServer start(int port, ScenarioRegistry registry) throws IOException {
    if (port < 0 || port > 65535) throw new IllegalArgumentException("port must be 0..65535, got " + port);
    HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), port), 64);
    LabServer lab = new LabServer(server, registry);
    server.start();
    return lab;
  }

  public int port() {
    return server.getAddress().getPort();
  }

  public String url() {
    return "http://127.0.0.1:" + port() + "/";
  }

  @Override
  public void close() {
    server.stop(0);
    handlers.shutdownNow();
    synchronized (sessions) {
      sessions.values().forEach(LabSession::close);
      sessions.clear();
    }
  }

  private static String page() {
    return HtmlDiagram.resource("lab.html")
        .replace("/*@CSS*/", HtmlDiagram.resource("diagram.css") + "\n" + HtmlDiagram.resource("lab.css"))
        .replace("/*@JS*/", HtmlDiagram.resource("diagram.js") + "\n" + HtmlDiagram.resource("lab.js"));
  }

  // ---- dispatch ----

  private void handle(HttpExchange x) {
    try (x) {
      try {
        checkHost(x);
        route(x);
      } catch (LabError e) {
        error(x, e.status, e.getMessage());
      } catch (RuntimeException e) {
        error(x, 500, "internal error: " + e);
      }
    } catch (IOException ignored) {
      // the client went away mid-answer: nothing to tell it
    }
  }

  private void checkHost(HttpExchange x) {
    String host = x.getRequestHeaders().getFirst("Host");
    String p = ":" + port();
    if (host == null || !(host.equals("127.0.0.1" + p) || host.equals("localhost" + p))) {
      throw new LabError(403, "the lab answers only requests for 127.0.0.1" + p + " or localhost" + p + " (Host: " + host + ")");
    }
  }

  private void route(HttpExchange x) throws IOException {
    String method = x.getRequestMethod();
    String path = x.getRequestURI().getPath();
    Map<String, String> q = query(x.getRequestURI().getRawQuery());
    if (path.equals("/") || path.equals("/index.html")) {
      only(method, "GET");
      send(x, 200, "text/html; charset=utf-8", page);
      return;
    }
    if (path.equals("/favicon.ico")) {
      send(x, 204, "text/plain", "");
      return;
    }
    if (path.equals("/api/scenarios")) {
      only(method, "GET");
      json(x, 200, scenarios());
      return;
    }
    if (path.equals("/api/sweeps/redis-fsync")) {
      only(method, "GET");
      json(x, 200, sweeps.redisFsync(intParam(q, "seeds", 10, 1, Sweeps.MAX_SEEDS)));
      return;
    }
    if (path.equals("/api/sweeps/cassandra-rw")) {
      only(method, "GET");
      json(x, 200, sweeps.cassandraRw(intParam(q, "seeds", 10, 1, Sweeps.MAX_SEEDS)));
      return;
    }
    if (path.equals("/api/sessions")) {
      only(method, "POST");
      json(x, 201, create(body(x)));
      return;
    }
    if (!path.startsWith("/api/sessions/")) throw LabError.notFound("no such page: " + path);
    String[] parts = path.substring("/api/sessions/".length()).split("/", -1);
    LabSession s = session(parts[0]);
    String verb = parts.length > 1 ? parts[1] : "";
    if (parts.length > 2) throw LabError.notFound("no such page: " + path);
    switch (verb) {
      case "" -> {
        if (method.equals("DELETE")) {
          synchronized (sessions) {
            sessions.remove(s.id);
          }
          s.close();
          json(x, 200, Map.of("closed", s.id));
        } else {
          only(method, "GET");
          json(x, 200, s.call(s::view));
        }
      }
      case "events" -> {
        only(method, "GET");
        int from = intParam(q, "from", 0, 0, Integer.MAX_VALUE);
        send(x, 200, "application/json", s.call(() -> s.eventsJson(from)));
      }
      case "feed" -> {
        only(method, "GET");
        int from = intParam(q, "from", 0, 0, Integer.MAX_VALUE);
        json(x, 200, s.call(() -> s.feed(from)));
      }
      case "stream" -> {
        only(method, "GET");
        if (streams.incrementAndGet() > MAX_STREAMS) {
          streams.decrementAndGet();
          throw new LabError(503, "over " + MAX_STREAMS + " event streams are open (each holds a thread); close a tab and retry");
        }
        try {
          new EventStream(s, JSON).serve(x);
        } finally {
          streams.decrementAndGet();
        }
      }
      case "step" -> {
        only(method, "POST");
        JsonNode b = body(x);
        String mode = text(b, "mode", "event");
        long requested = b.path("count").isMissingNode() ? 1 : integer(b, "count");
        int count = (int) Math.max(-1, Math.min(Integer.MAX_VALUE, requested));
        String kind = text(b, "kind", null);
        json(x, 200, s.call(() -> s.step(mode, count, kind)));
      }
      case "play" -> {
        only(method, "POST");
        JsonNode b = body(x);
        double speed = b.path("speed").isMissingNode() ? 20 : number(b, "speed");
        json(x, 200, s.call(() -> {
          s.play(speed);
          return s.view();
        }));
      }
      case "pause" -> {
        only(method, "POST");
        json(x, 200, s.call(() -> {
          s.pause();
          return s.view();
        }));
      }
      case "rewind" -> {
        only(method, "POST");
        long index = integer(body(x), "index");
        json(x, 200, s.call(() -> s.rewind(index)));
      }
      case "action" -> {
        only(method, "POST");
        String action = text(body(x), "action", null);
        json(x, 200, s.call(() -> s.act(action)));
      }
      case "plan" -> {
        only(method, "POST");
        String plan = text(body(x), "plan", "");
        json(x, 200, s.call(() -> s.setPlan(plan)));
      }
      case "inspect" -> {
        only(method, "GET");
        String name = required(q, "name");
        json(x, 200, Map.of("name", name, "text", s.call(() -> s.inspect(name, q.getOrDefault("arg", "")))));
      }
      case "panels" -> {
        only(method, "GET");
        Map<String, String> args = new LinkedHashMap<>();
        q.forEach((k, v) -> {
          if (k.startsWith("arg.")) args.put(k.substring(4), v);
          else throw LabError.bad("unknown query parameter '" + k + "' (panels takes arg.INSPECTOR=VALUE)");
        });
        json(x, 200, s.call(() -> s.panels(args)));
      }
      case "inspectors" -> {
        only(method, "GET");
        json(x, 200, s.call(s::inspectors));
      }
      case "state" -> {
        only(method, "GET");
        if (q.containsKey("i")) {
          long i = longParam(q, "i");
          json(x, 200, s.call(() -> s.stateAt(i)));
        } else {
          String node = required(q, "node");
          json(x, 200, Map.of("node", node, "text", s.call(() -> s.state(node))));
        }
      }
      case "states" -> {
        only(method, "GET");
        json(x, 200, s.call(s::states));
      }
      case "inflight" -> {
        only(method, "GET");
        json(x, 200, s.call(s::inFlight));
      }
      default -> throw LabError.notFound("no such page: " + path);
    }
  }

  // ---- sessions and scenarios ----

  private Map<String, Object> create(JsonNode b) {
    String name = text(b, "scenario", null);
    if (name == null) throw LabError.bad("a session needs a scenario (GET /api/scenarios lists them)");
    Scenario scenario = registry.find(name).orElseThrow(() -> LabError.notFound("unknown scenario '" + name + "'"
        + (registry.suggest(name).isEmpty() ? "" : "; did you mean " + String.join(", ", registry.suggest(name)) + "?")));
    long seed = b.path("seed").isMissingNode() ? 1 : integer(b, "seed");
    String faults = b.path("faults").isMissingNode() || b.path("faults").isNull() ? null : text(b, "faults", "");
    Set<String> breaks = new TreeSet<>();
    for (JsonNode r : b.path("breaks")) {
      if (!r.isTextual() || registry.findBreak(r.asText()).isEmpty()) throw LabError.bad("unknown break rule " + r + " (./sim list --breaks)");
      breaks.add(r.asText());
    }
    String id = Integer.toString(nextId.getAndIncrement());
    LabSession s;
    try {
      s = new LabSession(id, scenario, seed, faults, breaks);
    } catch (IllegalArgumentException e) {
      throw LabError.bad(e.getMessage());
    }
    synchronized (sessions) {
      while (sessions.size() >= MAX_SESSIONS) {
        LabSession oldest = sessions.values().stream().min(java.util.Comparator.comparingLong(o -> o.lastUsedMillis)).orElseThrow();
        sessions.remove(oldest.id);
        oldest.close();
      }
      sessions.put(id, s);
    }
    Map<String, Object> out = new LinkedHashMap<>(s.call(s::view));
    out.put("inspectors", s.call(s::inspectors));
    out.put("explanation", scenario.explanation());
    return out;
  }

  private LabSession session(String id) {
    synchronized (sessions) {
      LabSession s = sessions.get(id);
      if (s == null) throw LabError.notFound("no session '" + id + "' (it may have been closed; start a new one)");
      return s;
    }
  }

  private List<Map<String, Object>> scenarios() {
    List<Map<String, Object>> out = new ArrayList<>();
    for (Scenario s : registry.all()) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("name", s.name());
      m.put("system", s.name().contains(".") ? s.name().substring(0, s.name().indexOf('.')) : s.name());
      m.put("summary", s.summary());
      m.put("explanation", s.explanation());
      m.put("faults", s.faultPlan());
      List<String> breaks = new ArrayList<>();
      for (BreakRule r : registry.breakRules()) if (r.scenario().equals(s.name())) breaks.add(r.name());
      m.put("breaks", breaks);
      out.add(m);
    }
    return out;
  }

  // ---- request and response helpers ----

  private static void only(String method, String allowed) {
    if (!method.equals(allowed)) throw new LabError(405, "use " + allowed + " here, not " + method);
  }

  private static JsonNode body(HttpExchange x) throws IOException {
    String type = x.getRequestHeaders().getFirst("Content-Type");
    if (type != null && !type.startsWith("application/json")) throw new LabError(415, "send JSON (Content-Type: application/json), not " + type);
    byte[] bytes;
    try (InputStream in = x.getRequestBody()) {
      bytes = in.readNBytes(MAX_BODY_BYTES + 1);
    }
    if (bytes.length > MAX_BODY_BYTES) throw new LabError(413, "request body over " + MAX_BODY_BYTES + " bytes");
    if (bytes.length == 0) return JSON.createObjectNode();
    try {
      JsonNode n = JSON.readTree(bytes);
      if (n == null || !n.isObject()) throw LabError.bad("the body must be a JSON object");
      return n;
    } catch (com.fasterxml.jackson.core.JacksonException e) {
      throw LabError.bad("the body is not valid JSON: " + e.getOriginalMessage());
    }
  }

  private static String text(JsonNode b, String field, String fallback) {
    JsonNode v = b.path(field);
    if (v.isMissingNode() || v.isNull()) return fallback;
    if (!v.isTextual()) throw LabError.bad("'" + field + "' must be a string, got " + v);
    return v.asText();
  }

  private static long integer(JsonNode b, String field) {
    JsonNode v = b.path(field);
    if (!v.isIntegralNumber() || !v.canConvertToLong()) throw LabError.bad("'" + field + "' must be an integer, got " + (v.isMissingNode() ? "nothing" : v));
    return v.asLong();
  }

  private static double number(JsonNode b, String field) {
    JsonNode v = b.path(field);
    if (!v.isNumber()) throw LabError.bad("'" + field + "' must be a number, got " + v);
    return v.asDouble();
  }

  private static Map<String, String> query(String raw) {
    Map<String, String> q = new LinkedHashMap<>();
    if (raw == null || raw.isEmpty()) return q;
    for (String pair : raw.split("&")) {
      int eq = pair.indexOf('=');
      try {
        String k = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
        String v = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
        q.put(k, v);
      } catch (IllegalArgumentException e) {
        throw LabError.bad("bad query string: " + e.getMessage());
      }
    }
    return q;
  }

  private static String required(Map<String, String> q, String name) {
    String v = q.get(name);
    if (v == null || v.isBlank()) throw LabError.bad("missing query parameter '" + name + "'");
    return v;
  }

  private static int intParam(Map<String, String> q, String name, int fallback, int min, int max) {
    if (!q.containsKey(name)) return fallback;
    long v = longParam(q, name);
    if (v < min || v > max) throw LabError.bad("'" + name + "' must be " + min + ".." + max + ", got " + v);
    return (int) v;
  }

  private static long longParam(Map<String, String> q, String name) {
    try {
      return Long.parseLong(q.get(name).strip());
    } catch (NumberFormatException e) {
      throw LabError.bad("'" + name + "' must be an integer, got '" + q.get(name) + "'");
    }
  }

  static void json(HttpExchange x, int status, Object value) throws IOException {
    send(x, status, "application/json", JSON.writeValueAsString(value));
  }

  private static void error(HttpExchange x, int status, String message) throws IOException {
    json(x, status, Map.of("error", message, "status", status));
  }

  static void send(HttpExchange x, int status, String type, String body) throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    x.getResponseHeaders().set("Content-Type", type);
    x.getResponseHeaders().set("Cache-Control", "no-store");
    x.getResponseHeaders().set("X-Content-Type-Options", "nosniff");
    if (type.startsWith("text/html")) {
      x.getResponseHeaders().set("Content-Security-Policy",
          "default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; connect-src 'self'; img-src data:");
    }
    if (status == 204) {
      x.sendResponseHeaders(204, -1);
      return;
    }
    x.sendResponseHeaders(status, bytes.length);
    try (OutputStream out = x.getResponseBody()) {
      out.write(bytes);
    }
  }
}
