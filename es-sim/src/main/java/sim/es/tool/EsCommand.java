package sim.es.tool;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import sim.core.cli.CommandPlugin;
import sim.es.cluster.OperationRouting;
import sim.es.search.Aggregations;
import sim.es.search.Query;
import sim.es.search.QueryDsl;
import sim.es.search.ShardedIndex;

/**
 * {@code ./sim es search --index DOCS.jsonl (--query TEXT | --dsl JSON) [--shards N] [--dfs] [--json]} and
 * {@code ./sim es route --shards N ID...}.
 */
public final class EsCommand implements CommandPlugin {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String USAGE = """
      usage: ./sim es search --index DOCS.jsonl (--query TEXT | --dsl '{"query":{...},"aggs":{...}}') [--shards N] [--dfs] [--size K] [--json]
             ./sim es route --shards N ID...""";

  /** Bad input: printed on stderr, exit 2. */
  static final class BadInput extends Exception {
    BadInput(String message) {
      super(message);
    }
  }

  @Override
  public String name() {
    return "es";
  }

  @Override
  public String summary() {
    return "search a JSONL corpus with BM25 scored as Lucene 9 (match, DSL, aggregations) or print the shard of each _id";
  }

  @Override
  public int run(String[] args, InputStream in, PrintStream out, PrintStream err) {
    try {
      if (args.length == 0 || args[0].equals("-h") || args[0].equals("--help")) {
        out.println(USAGE);
        return args.length == 0 ? 2 : 0;
      }
      return switch (args[0]) {
        case "search" -> search(args, out);
        case "route" -> route(args, out);
        default -> throw new BadInput("unknown subcommand '" + args[0] + "' (search, route)");
      };
    } catch (BadInput e) {
      err.println("es: " + e.getMessage());
      return 2;
    }
  }

  private static int route(String[] args, PrintStream out) throws BadInput {
    int shards = -1;
    List<String> ids = new ArrayList<>();
    for (int i = 1; i < args.length; i++) {
      if (args[i].equals("--shards")) shards = shardCount(value(args, ++i, "--shards"));
      else ids.add(args[i]);
    }
    if (shards < 0) throw new BadInput("route needs --shards N");
    if (ids.isEmpty()) throw new BadInput("route needs at least one ID");
    for (String id : ids) out.println(id + "\t" + OperationRouting.shardId(id, shards));
    return 0;
  }

  private static int search(String[] args, PrintStream out) throws BadInput {
    String file = null;
    String text = null;
    String dsl = null;
    int shards = 1;
    int size = 10;
    boolean json = false;
    boolean dfs = false;
    for (int i = 1; i < args.length; i++) {
      switch (args[i]) {
        case "--index" -> file = value(args, ++i, "--index");
        case "--query" -> text = value(args, ++i, "--query");
        case "--dsl" -> dsl = value(args, ++i, "--dsl");
        case "--shards" -> shards = shardCount(value(args, ++i, "--shards"));
        case "--size" -> size = nonNegative(value(args, ++i, "--size"), "--size");
        case "--json" -> json = true;
        case "--dfs" -> dfs = true;
        default -> throw new BadInput("unknown argument '" + args[i] + "'\n" + USAGE);
      }
    }
    if (file == null) throw new BadInput("search needs --index DOCS.jsonl");
    if ((text == null) == (dsl == null)) throw new BadInput("search needs exactly one of --query TEXT and --dsl JSON");
    ShardedIndex index = load(file, shards);
    if (text != null) {
      ShardedIndex.Result r = index.search(new QueryDsl(index.mapping()).match("body", text), size, dfs);
      printMatch(text, r, json, out);
      return 0;
    }
    JsonNode request;
    try {
      request = JSON.readTree(dsl);
    } catch (JsonProcessingException e) {
      throw new BadInput("--dsl: malformed JSON: " + e.getOriginalMessage());
    }
    if (request == null || !request.isObject()) throw new BadInput("--dsl: the request body must be a JSON object");
    try {
      QueryDsl parser = new QueryDsl(index.mapping());
      Query q = request.has("query") ? parser.parse(request.get("query")) : new Query.MatchAll(1f);
      int k = request.has("size") ? request.get("size").asInt() : size;
      ShardedIndex.Result r = index.search(q, k, dfs);
      JsonNode aggsSpec = request.has("aggs") ? request.get("aggs") : request.get("aggregations");
      ObjectNode aggs = aggsSpec == null ? null : Aggregations.run(aggsSpec, r.matches(), index.mapping());
      out.println(JSON.writeValueAsString(response(r, shards, aggs)));
      return 0;
    } catch (IllegalArgumentException e) {
      throw new BadInput("--dsl: " + e.getMessage());
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  private static ObjectNode response(ShardedIndex.Result r, int shards, ObjectNode aggs) throws JsonProcessingException {
    ObjectNode root = JSON.createObjectNode();
    root.put("took", 0);
    root.put("timed_out", false);
    ObjectNode s = root.putObject("_shards");
    s.put("total", shards);
    s.put("successful", shards);
    s.put("skipped", 0);
    s.put("failed", 0);
    ObjectNode hits = root.putObject("hits");
    ObjectNode total = hits.putObject("total");
    total.put("value", r.total());
    total.put("relation", "eq");
    if (r.hits().isEmpty()) hits.putNull("max_score");
    else hits.put("max_score", r.hits().get(0).score());
    ArrayNode arr = hits.putArray("hits");
    for (ShardedIndex.Hit h : r.hits()) {
      ObjectNode o = arr.addObject();
      o.put("_index", "docs");
      o.put("_id", h.id());
      o.put("_score", h.score());
      o.set("_source", JSON.readTree(h.source()));
    }
    if (aggs != null) root.set("aggregations", aggs);
    return root;
  }

  private static void printMatch(String text, ShardedIndex.Result r, boolean json, PrintStream out) {
    if (!json) {
      out.println("total " + r.total());
      for (ShardedIndex.Hit h : r.hits()) out.println(h.id() + "\t" + h.score());
      return;
    }
    StringBuilder b = new StringBuilder("{\"query\":").append(quote(text)).append(",\"total\":").append(r.total()).append(",\"hits\":[");
    for (int i = 0; i < r.hits().size(); i++) {
      ShardedIndex.Hit h = r.hits().get(i);
      if (i > 0) b.append(',');
      b.append('[').append(quote(h.id())).append(',').append(Float.toString(h.score())).append(']');
    }
    out.println(b.append("]}"));
  }

  /** Reads DOCS.jsonl: one {"_id": ..., ...} object per line; blank lines are skipped. */
  static ShardedIndex load(String file, int shards) throws BadInput {
    List<String> lines;
    try {
      lines = Files.readAllLines(Path.of(file), StandardCharsets.UTF_8);
    } catch (NoSuchFileException e) {
      throw new BadInput(file + ": no such file");
    } catch (IOException e) {
      throw new BadInput(file + ": " + e.getMessage());
    }
    ShardedIndex index = new ShardedIndex(shards);
    for (int n = 0; n < lines.size(); n++) {
      String line = lines.get(n).strip();
      if (line.isEmpty()) continue;
      String where = file + ": line " + (n + 1) + ": ";
      JsonNode doc;
      try {
        doc = JSON.readTree(line);
      } catch (JsonProcessingException e) {
        throw new BadInput(where + "malformed JSON: " + e.getOriginalMessage());
      }
      if (doc == null || !doc.isObject()) throw new BadInput(where + "expected a JSON object");
      JsonNode id = doc.get("_id");
      if (id == null || !(id.isTextual() || id.isIntegralNumber()) || id.asText().isEmpty()) throw new BadInput(where + "missing or empty \"_id\" (a string)");
      try {
        index.index(id.asText(), line);
      } catch (IllegalArgumentException e) {
        throw new BadInput(where + e.getMessage());
      }
    }
    index.refresh();
    return index;
  }

  private static String quote(String s) {
    try {
      return JSON.writeValueAsString(s);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  private static String value(String[] args, int i, String flag) throws BadInput {
    if (i >= args.length) throw new BadInput(flag + " needs a value");
    return args[i];
  }

  private static int shardCount(String s) throws BadInput {
    int n;
    try {
      n = Integer.parseInt(s);
    } catch (NumberFormatException e) {
      throw new BadInput("--shards must be a number of shards (1..1024), got '" + s + "'");
    }
    if (n < 1 || n > 1024) throw new BadInput("--shards must be between 1 and 1024, got " + n);
    return n;
  }

  private static int nonNegative(String s, String flag) throws BadInput {
    try {
      int n = Integer.parseInt(s);
      if (n >= 0) return n;
    } catch (NumberFormatException e) {
      // fall through to the message
    }
    throw new BadInput(flag + " must be a non-negative integer, got '" + s + "'");
  }
}
