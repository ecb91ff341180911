package sim.redis.command;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import sim.redis.resp.RespOut;

/**
 * COMMAND INFO and COMMAND DOCS replies (server.c addReplyCommandInfo / addReplyCommandDocs, RESP2 shapes):
 * flags, the legacy first/last/step, ACL categories (with the implicit ones), tips, key specs, subcommands.
 */
final class CommandDocs {
  private CommandDocs() {}

  private static final List<String> FLAG_ORDER = List.of("WRITE", "READONLY", "DENYOOM", "MODULE", "ADMIN", "PUBSUB",
      "NOSCRIPT", "BLOCKING", "LOADING", "STALE", "SKIP_MONITOR", "SKIP_SLOWLOG", "ASKING", "FAST", "NO_AUTH",
      "NO_MANDATORY_KEYS", "NO_ASYNC_LOADING", "NO_MULTI", "MOVABLE_KEYS", "ALLOW_BUSY");
  private static final List<String> CATEGORY_ORDER = List.of("KEYSPACE", "READ", "WRITE", "SET", "SORTEDSET", "LIST",
      "HASH", "STRING", "BITMAP", "HYPERLOGLOG", "GEO", "STREAM", "PUBSUB", "ADMIN", "FAST", "SLOW", "BLOCKING",
      "DANGEROUS", "CONNECTION", "TRANSACTION", "SCRIPTING");
  private static final List<String> KEY_FLAG_ORDER = List.of("RO", "RW", "OW", "RM", "ACCESS", "UPDATE", "INSERT", "DELETE",
      "NOT_KEY", "INCOMPLETE", "VARIABLE_FLAGS");

  /** populateCommandLegacyRangeSpec: first key, last key, step, and whether the keys move (movablekeys). */
  static int[] legacyRange(Command c) {
    List<KeySpec> specs = c.keySpecs();
    if (specs.isEmpty()) return new int[] {0, 0, 0, 0};
    if (specs.size() == 1 && specs.get(0).keyword() == null && specs.get(0).range()) {
      KeySpec s = specs.get(0);
      int last = s.lastKey() >= 0 ? s.lastKey() + s.indexPos() : s.lastKey();
      return new int[] {s.indexPos(), last, s.keyStep(), s.flags().contains("INCOMPLETE") ? 1 : 0};
    }
    int first = Integer.MAX_VALUE;
    long last = 0;
    long prevLast = 0;
    int movable = 0;
    for (KeySpec s : specs) {
      if (s.keyword() != null || !s.range()) {
        movable = 1;
        continue;
      }
      if (s.keyStep() != 1 || (prevLast != 0 && prevLast != s.indexPos() - 1)) {
        movable = 1;
        continue;
      }
      if (s.flags().contains("INCOMPLETE")) movable = 1;
      first = Math.min(first, s.indexPos());
      long abs = s.lastKey() >= 0 ? s.lastKey() + s.indexPos() : s.lastKey();
      last = Long.compareUnsigned(last & 0xffffffffL, abs & 0xffffffffL) >= 0 ? last : abs;
      prevLast = last;
    }
    if (first == Integer.MAX_VALUE) return new int[] {0, 0, 0, 1};
    return new int[] {first, (int) last, 1, movable};
  }

  static void info(RespOut out, Command c) {
    if (c == null || !c.implemented() && !c.isContainer()) {
      out.nullBulk();
      return;
    }
    int[] range = legacyRange(c);
    out.arrayHeader(10);
    out.bulk(c.fullName());
    out.integer(c.arity());
    List<String> flags = new ArrayList<>();
    Set<String> has = c.flags();
    for (String f : FLAG_ORDER) {
      if (has.contains(f) || (f.equals("MOVABLE_KEYS") && range[3] == 1)) flags.add(f.toLowerCase(Locale.ROOT));
    }
    out.arrayHeader(flags.size());
    for (String f : flags) out.simple(f);
    out.integer(range[0]);
    out.integer(range[1]);
    out.integer(range[2]);
    List<String> cats = categories(c);
    out.arrayHeader(cats.size());
    for (String cat : cats) out.simple("@" + cat.toLowerCase(Locale.ROOT));
    JsonNode tips = c.doc().path("command_tips");
    out.arrayHeader(tips.size());
    tips.forEach(t -> out.bulk(t.asText().toLowerCase(Locale.ROOT)));
    keySpecs(out, c);
    out.arrayHeader(c.subcommands().size());
    for (Command sub : c.subcommands().values()) info(out, sub);
  }

  /** The ACL categories with setImplicitACLCategories' additions, in ACLCommandCategories order. */
  static List<String> categories(Command c) {
    Set<String> cats = new java.util.HashSet<>(c.aclCategories());
    if (c.hasFlag("WRITE")) cats.add("WRITE");
    else if (c.hasFlag("READONLY") && !cats.contains("SCRIPTING")) cats.add("READ");
    if (c.hasFlag("ADMIN")) {
      cats.add("ADMIN");
      cats.add("DANGEROUS");
    }
    if (c.hasFlag("PUBSUB")) cats.add("PUBSUB");
    if (c.hasFlag("FAST")) cats.add("FAST");
    if (c.hasFlag("BLOCKING")) cats.add("BLOCKING");
    if (!cats.contains("FAST")) cats.add("SLOW");
    List<String> out = new ArrayList<>();
    for (String k : CATEGORY_ORDER) if (cats.contains(k)) out.add(k);
    return out;
  }

  private static void keySpecs(RespOut out, Command c) {
    JsonNode specs = c.doc().path("key_specs");
    out.arrayHeader(specs.size());
    for (JsonNode s : specs) {
      boolean notes = s.has("notes");
      out.arrayHeader(2 * (3 + (notes ? 1 : 0)));
      if (notes) out.bulk("notes").bulk(s.path("notes").asText());
      out.bulk("flags");
      List<String> fl = new ArrayList<>();
      Set<String> have = new java.util.HashSet<>();
      s.path("flags").forEach(f -> have.add(f.asText()));
      for (String f : KEY_FLAG_ORDER) if (have.contains(f)) fl.add(f.length() <= 2 ? f : f.toLowerCase(Locale.ROOT));
      out.arrayHeader(fl.size());
      for (String f : fl) out.simple(f);
      out.bulk("begin_search");
      JsonNode bs = s.path("begin_search");
      if (bs.has("index")) {
        out.arrayHeader(4).bulk("type").bulk("index").bulk("spec").arrayHeader(2).bulk("index").integer(bs.path("index").path("pos").asInt());
      } else if (bs.has("keyword")) {
        out.arrayHeader(4).bulk("type").bulk("keyword").bulk("spec").arrayHeader(4).bulk("keyword")
            .bulk(bs.path("keyword").path("keyword").asText()).bulk("startfrom").integer(bs.path("keyword").path("startfrom").asInt());
      } else {
        out.arrayHeader(4).bulk("type").bulk("unknown").bulk("spec").arrayHeader(0);
      }
      out.bulk("find_keys");
      JsonNode fk = s.path("find_keys");
      if (fk.has("range")) {
        JsonNode r = fk.path("range");
        out.arrayHeader(4).bulk("type").bulk("range").bulk("spec").arrayHeader(6).bulk("lastkey").integer(r.path("lastkey").asInt())
            .bulk("keystep").integer(r.path("step").asInt(1)).bulk("limit").integer(r.path("limit").asInt(0));
      } else if (fk.has("keynum")) {
        JsonNode k = fk.path("keynum");
        out.arrayHeader(4).bulk("type").bulk("keynum").bulk("spec").arrayHeader(6).bulk("keynumidx").integer(k.path("keynumidx").asInt())
            .bulk("firstkey").integer(k.path("firstkey").asInt()).bulk("keystep").integer(k.path("step").asInt(1));
      } else {
        out.arrayHeader(4).bulk("type").bulk("unknown").bulk("spec").arrayHeader(0);
      }
    }
  }

  /** addReplyCommandDocs: summary, since, group, complexity, doc flags, deprecation, history, arguments, subcommands. */
  static void docs(RespOut out, Command c) {
    JsonNode d = c.doc();
    List<Runnable> fields = new ArrayList<>();
    if (d.has("summary")) fields.add(() -> out.bulk("summary").bulk(d.path("summary").asText()));
    if (d.has("since")) fields.add(() -> out.bulk("since").bulk(d.path("since").asText()));
    fields.add(() -> out.bulk("group").bulk(d.path("group").asText()));
    if (d.has("complexity")) fields.add(() -> out.bulk("complexity").bulk(d.path("complexity").asText()));
    if (d.has("doc_flags")) fields.add(() -> {
      out.bulk("doc_flags");
      out.arrayHeader(d.path("doc_flags").size());
      d.path("doc_flags").forEach(f -> out.simple(f.asText().toLowerCase(Locale.ROOT)));
    });
    if (d.has("deprecated_since")) fields.add(() -> out.bulk("deprecated_since").bulk(d.path("deprecated_since").asText()));
    if (d.has("replaced_by")) fields.add(() -> out.bulk("replaced_by").bulk(d.path("replaced_by").asText()));
    if (d.has("history")) fields.add(() -> {
      out.bulk("history");
      out.arrayHeader(d.path("history").size());
      d.path("history").forEach(h -> out.arrayHeader(2).bulk(h.get(0).asText()).bulk(h.get(1).asText()));
    });
    if (d.has("arguments")) fields.add(() -> {
      out.bulk("arguments");
      args(out, d.path("arguments"));
    });
    if (c.isContainer()) fields.add(() -> {
      out.bulk("subcommands");
      out.arrayHeader(2 * c.subcommands().size());
      for (Command sub : c.subcommands().values()) {
        out.bulk(sub.fullName());
        docs(out, sub);
      }
    });
    out.arrayHeader(2 * fields.size());
    for (Runnable f : fields) f.run();
  }

  private static void args(RespOut out, JsonNode args) {
    out.arrayHeader(args.size());
    for (JsonNode a : args) {
      List<Runnable> f = new ArrayList<>();
      f.add(() -> out.bulk("name").bulk(a.path("name").asText()));
      f.add(() -> out.bulk("type").bulk(a.path("type").asText()));
      if (a.has("key_spec_index")) f.add(() -> out.bulk("key_spec_index").integer(a.path("key_spec_index").asInt()));
      if (a.has("token")) f.add(() -> out.bulk("token").bulk(a.path("token").asText()));
      if (a.has("summary")) f.add(() -> out.bulk("summary").bulk(a.path("summary").asText()));
      if (a.has("since")) f.add(() -> out.bulk("since").bulk(a.path("since").asText()));
      if (a.has("deprecated_since")) f.add(() -> out.bulk("deprecated_since").bulk(a.path("deprecated_since").asText()));
      List<String> flags = new ArrayList<>();
      if (a.path("optional").asBoolean()) flags.add("optional");
      if (a.path("multiple").asBoolean()) flags.add("multiple");
      if (a.path("multiple_token").asBoolean()) flags.add("multiple_token");
      if (!flags.isEmpty()) f.add(() -> {
        out.bulk("flags").arrayHeader(flags.size());
        for (String fl : flags) out.simple(fl);
      });
      if (a.has("arguments")) f.add(() -> {
        out.bulk("arguments");
        args(out, a.path("arguments"));
      });
      out.arrayHeader(2 * f.size());
      for (Runnable r : f) r.run();
    }
  }
}
