package sim.redis.command;

import sim.redis.keyspace.Keyspace;

/** PING ECHO SELECT DBSIZE FLUSHDB FLUSHALL SAVE BGSAVE BGREWRITEAOF LASTSAVE INFO. */
final class ServerCommands {
  private ServerCommands() {}

  static void ping(Call c) {
    if (c.argc() > 2) c.out.error(Errors.arity("ping"));
    else if (c.argc() == 1) c.out.simple("PONG");
    else c.out.bulk(c.arg(1));
  }

  static void echo(Call c) {
    c.out.bulk(c.arg(1));
  }

  static void select(Call c) {
    Long id = c.longArg(1);
    if (id == null) return;
    if (id < Integer.MIN_VALUE || id > Integer.MAX_VALUE) {
      c.out.error(Errors.NOT_INTEGER);
      return;
    }
    if (id < 0 || id >= Keyspace.DATABASES) {
      c.out.error(Errors.DB_RANGE);
      return;
    }
    c.client.select((int) (long) id);
    c.out.ok();
  }

  static void dbsize(Call c) {
    c.out.integer(c.db().size());
  }

  /** getFlushCommandFlags: optional SYNC or ASYNC, anything else is a syntax error. */
  private static boolean flushFlagsOk(Call c) {
    if (c.argc() > 2 || (c.argc() == 2 && !c.isArg(1, "sync") && !c.isArg(1, "async"))) {
      c.out.error(Errors.SYNTAX);
      return false;
    }
    return true;
  }

  static void flushdb(Call c) {
    if (!flushFlagsOk(c)) return;
    c.dirty(c.db().size() + 1L);
    c.db().clear();
    c.out.ok();
  }

  static void flushall(Call c) {
    if (!flushFlagsOk(c)) return;
    c.dirty(c.keyspace().totalKeys() + 1);
    c.keyspace().flushAll();
    c.persistence().afterFlushAll();
    c.out.ok();
  }

  static void save(Call c) {
    if (c.persistence().rdbChildActive()) {
      c.out.error("ERR Background save already in progress");
      return;
    }
    c.persistence().rdbSave(ok -> {
      if (ok) c.out.ok();
      else c.out.error("ERR");
    });
  }

  static void bgsave(Call c) {
    boolean schedule = false;
    if (c.argc() > 1) {
      if (c.argc() == 2 && c.isArg(1, "schedule")) {
        schedule = true;
      } else {
        c.out.error(Errors.SYNTAX);
        return;
      }
    }
    if (c.persistence().rdbChildActive()) {
      c.out.error("ERR Background save already in progress");
    } else if (c.persistence().childActive()) {
      if (schedule) {
        c.persistence().scheduleBgsave();
        c.out.simple("Background saving scheduled");
      } else {
        c.out.error("ERR Another child process is active (AOF?): can't BGSAVE right now. "
            + "Use BGSAVE SCHEDULE in order to schedule a BGSAVE whenever possible.");
      }
    } else {
      c.persistence().bgsave();
      c.out.simple("Background saving started");
    }
  }

  static void bgrewriteaof(Call c) {
    if (c.persistence().aofChildActive()) {
      c.out.error("ERR Background append only file rewriting already in progress");
    } else if (c.persistence().childActive()) {
      c.persistence().scheduleAofRewrite();
      c.out.simple("Background append only file rewriting scheduled");
    } else {
      c.persistence().bgrewriteaof();
      c.out.simple("Background append only file rewriting started");
    }
  }

  /** SHUTDOWN [NOSAVE|SAVE]: no reply on success, the connection just closes (as with Redis). */
  static void shutdown(Call c) {
    boolean save = false;
    boolean nosave = false;
    for (int i = 1; i < c.argc(); i++) {
      if (c.isArg(i, "save")) save = true;
      else if (c.isArg(i, "nosave")) nosave = true;
      else {
        c.out.error(Errors.SYNTAX);
        return;
      }
    }
    c.persistence().shutdown(save, nosave);
  }

  static void lastsave(Call c) {
    c.out.integer(c.persistence().lastSaveMs() / 1000);
  }

  /** CONFIG GET name: the few settings this model has (redis-benchmark asks for save and appendonly). */
  static void config(Call c) {
    if (!c.isArg(1, "get") || c.argc() != 3) {
      c.out.error("ERR CONFIG " + c.arg(1) + " is not supported by redis-sim (only CONFIG GET <name>)");
      return;
    }
    var cfg = c.host.config();
    java.util.Map<String, String> values = new java.util.TreeMap<>();
    values.put("save", cfg.saveString());
    values.put("appendonly", cfg.appendonly ? "yes" : "no");
    values.put("appendfsync", cfg.appendfsync.configName());
    values.put("dbfilename", cfg.dbfilename);
    values.put("appenddirname", cfg.appenddirname);
    values.put("aof-use-rdb-preamble", cfg.aofUseRdbPreamble ? "yes" : "no");
    values.put("aof-load-truncated", cfg.aofLoadTruncated ? "yes" : "no");
    values.put("databases", "16");
    values.put("hz", Integer.toString(cfg.hz));
    java.util.List<String> hits = new java.util.ArrayList<>();
    for (var e : values.entrySet()) {
      if (sim.redis.keyspace.Glob.matches(c.arg(2).toLowerCase(java.util.Locale.ROOT), e.getKey())) {
        hits.add(e.getKey());
        hits.add(e.getValue());
      }
    }
    c.out.arrayHeader(hits.size());
    for (String h : hits) c.out.bulk(h);
  }

  /** INFO [section ...]: the sections this model has, in Redis's order. */
  static void info(Call c) {
    java.util.List<String> sections = new java.util.ArrayList<>();
    for (int i = 1; i < c.argc(); i++) sections.add(c.arg(i).toLowerCase(java.util.Locale.ROOT));
    c.out.bulk(c.host.info(sections));
  }
}
