package sim.redis.command;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import sim.redis.config.ConfigRegistry;
import sim.redis.config.RedisConfig;
import sim.redis.keyspace.Glob;
import sim.redis.keyspace.Keyspace;
import sim.redis.resp.Numbers;

/**
 * The server family (server.c, db.c, rdb.c, aof.c, config.c): DBSIZE FLUSHDB FLUSHALL SWAPDB SAVE BGSAVE
 * BGREWRITEAOF SHUTDOWN LASTSAVE INFO CONFIG TIME COMMAND.
 */
final class ServerCommands {
  private ServerCommands() {}

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
    c.touchAllWatched(c.client.db());
    c.dirty(c.db().size());
    c.db().clear();
    c.forcePropagation();
    c.out.ok();
  }

  static void flushall(Call c) {
    if (!flushFlagsOk(c)) return;
    c.touchAllWatched(-1);
    c.dirty(c.keyspace().totalKeys());
    c.keyspace().flushAll();
    c.persistence().afterFlushAll();
    c.forcePropagation();
    c.out.ok();
  }

  static void swapdb(Call c) {
    Long a = c.longInRange(1, Integer.MIN_VALUE, Integer.MAX_VALUE, "ERR invalid first DB index");
    if (a == null) return;
    Long b = c.longInRange(2, Integer.MIN_VALUE, Integer.MAX_VALUE, "ERR invalid second DB index");
    if (b == null) return;
    if (a < 0 || a >= Keyspace.DATABASES || b < 0 || b >= Keyspace.DATABASES) {
      c.out.error(Errors.DB_RANGE);
      return;
    }
    c.touchAllWatched((int) (long) a);
    c.touchAllWatched((int) (long) b);
    if (!a.equals(b)) c.keyspace().swap((int) (long) a, (int) (long) b);
    c.dirty(1);
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
    } else if (c.persistence().childActive() || c.client.inExec) {
      if (schedule || c.client.inExec) {
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
    } else if (c.persistence().childActive() || c.client.inExec) {
      c.persistence().scheduleAofRewrite();
      c.out.simple("Background append only file rewriting scheduled");
    } else {
      c.persistence().bgrewriteaof();
      c.out.simple("Background append only file rewriting started");
    }
  }

  /** SHUTDOWN [NOSAVE|SAVE] [NOW] [FORCE] [ABORT]: no reply on success, the connection just closes (as with Redis). */
  static void shutdown(Call c) {
    boolean save = false;
    boolean nosave = false;
    boolean abort = false;
    for (int i = 1; i < c.argc(); i++) {
      if (c.isArg(i, "save")) save = true;
      else if (c.isArg(i, "nosave")) nosave = true;
      else if (c.isArg(i, "now") || c.isArg(i, "force")) continue;
      else if (c.isArg(i, "abort")) abort = true;
      else {
        c.out.error(Errors.SYNTAX);
        return;
      }
    }
    if ((abort && c.argc() != 2) || (save && nosave)) {
      c.out.error(Errors.SYNTAX);
      return;
    }
    if (abort) {
      c.out.error("ERR No shutdown in progress.");
      return;
    }
    c.persistence().shutdown(save, nosave);
  }

  static void lastsave(Call c) {
    c.out.integer(c.persistence().lastSaveMs() / 1000);
  }

  /** INFO [section ...]: the sections this model has, in Redis's order. */
  static void info(Call c) {
    List<String> sections = new ArrayList<>();
    for (int i = 1; i < c.argc(); i++) sections.add(c.arg(i).toLowerCase(Locale.ROOT));
    c.out.bulk(c.host.info(sections));
  }

  static void time(Call c) {
    long us = c.host.nowMicros();
    c.out.arrayHeader(2).bulk(Long.toString(us / 1_000_000)).bulk(Long.toString(us % 1_000_000));
  }

  // ---- CONFIG --------------------------------------------------------------------------------------------

  /** CONFIG GET parameter [parameter ...]: exact names as given, patterns over canonical names and aliases. */
  static void configGet(Call c) {
    Map<String, ConfigRegistry.Param> matches = new LinkedHashMap<>();
    for (int i = 2; i < c.argc(); i++) {
      String name = c.arg(i);
      if (!(name.contains("[") || name.contains("*") || name.contains("?"))) {
        ConfigRegistry.Param p = ConfigRegistry.lookup(name);
        if (p != null && !matches.containsKey(name)) matches.put(name, p);
        continue;
      }
      String pattern = name.toLowerCase(Locale.ROOT);
      for (Map.Entry<String, ConfigRegistry.Param> e : ConfigRegistry.byName().entrySet()) {
        if (!matches.containsKey(e.getKey()) && Glob.matches(pattern, e.getKey())) matches.put(e.getKey(), e.getValue());
      }
    }
    c.out.arrayHeader(2 * matches.size());
    for (Map.Entry<String, ConfigRegistry.Param> e : matches.entrySet()) c.out.bulk(e.getKey()).bulk(e.getValue().get(c.host.config()));
  }

  /** CONFIG SET parameter value [parameter value ...]: all or nothing, with config.c's error texts. */
  static void configSet(Call c) {
    if ((c.argc() & 1) == 1) {
      c.out.error(Errors.SYNTAX);
      return;
    }
    RedisConfig cfg = c.host.config();
    List<ConfigRegistry.Param> params = new ArrayList<>();
    String errArg = null;
    String err = null;
    for (int i = 2; i < c.argc(); i += 2) {
      ConfigRegistry.Param p = ConfigRegistry.lookup(c.arg(i));
      if (p == null) {
        c.out.error("ERR Unknown option or number of arguments for CONFIG SET - '" + c.arg(i) + "'");
        return;
      }
      if (err != null) continue;
      if (ConfigRegistry.immutable(p)) {
        err = "can't set immutable config";
        errArg = c.arg(i);
      } else if (params.contains(p)) {
        err = "duplicate parameter";
        errArg = c.arg(i);
      }
      params.add(p);
    }
    if (err != null) {
      c.out.error("ERR CONFIG SET failed (possibly related to argument '" + errArg + "') - " + err);
      return;
    }
    List<String> old = new ArrayList<>();
    for (ConfigRegistry.Param p : params) old.add(p.get(cfg));
    for (int i = 0; i < params.size(); i++) {
      String e = ConfigRegistry.set(params.get(i), cfg, c.arg(3 + 2 * i));
      if (e != null) {
        for (int j = 0; j <= i; j++) ConfigRegistry.set(params.get(j), cfg, old.get(j));
        c.out.error("ERR CONFIG SET failed (possibly related to argument '" + params.get(i).name() + "') - " + e);
        return;
      }
    }
    List<String> changed = new ArrayList<>();
    for (int i = 0; i < params.size(); i++) if (!old.get(i).equals(params.get(i).get(cfg))) changed.add(params.get(i).name());
    String applyError = c.host.configApplied(changed);
    if (applyError != null) {
      c.out.error(applyError);
      return;
    }
    c.out.ok();
  }

  static void configResetstat(Call c) {
    c.dispatcher().stats().reset();
    c.out.ok();
  }

  /** configRewriteCommand: the texts are config.c's. */
  static void configRewrite(Call c) {
    if (c.host.config().configfile == null) {
      c.out.error("ERR The server is running without a config file");
      return;
    }
    String err = c.host.configRewrite();
    if (err != null) c.out.error("ERR Rewriting config file: " + err);
    else c.out.ok();
  }

  // ---- COMMAND -------------------------------------------------------------------------------------------

  private static List<Command> implemented() {
    List<Command> out = new ArrayList<>();
    for (Command k : CommandTable.get().all().values()) if (k.implemented() || k.isContainer() && anyImplemented(k)) out.add(k);
    return out;
  }

  private static boolean anyImplemented(Command container) {
    for (Command s : container.subcommands().values()) if (s.implemented()) return true;
    return false;
  }

  static void command(Call c) {
    List<Command> all = implemented();
    c.out.arrayHeader(all.size());
    for (Command k : all) CommandDocs.info(c.out, k);
  }

  static void commandCount(Call c) {
    c.out.integer(implemented().size());
  }

  static void commandInfo(Call c) {
    if (c.argc() == 2) {
      command(c);
      return;
    }
    c.out.arrayHeader(c.argc() - 2);
    for (int i = 2; i < c.argc(); i++) CommandDocs.info(c.out, CommandTable.get().lookupFullName(c.arg(i)));
  }

  static void commandDocs(Call c) {
    List<Command> cmds = new ArrayList<>();
    if (c.argc() == 2) cmds.addAll(implemented());
    for (int i = 2; i < c.argc(); i++) {
      Command k = CommandTable.get().lookupFullName(c.arg(i));
      if (k != null) cmds.add(k);
    }
    c.out.arrayHeader(2 * cmds.size());
    for (Command k : cmds) {
      c.out.bulk(k.fullName());
      CommandDocs.docs(c.out, k);
    }
  }

  static void commandList(Call c) {
    String type = null;
    String arg = null;
    for (int i = 2; i < c.argc(); i++) {
      if (c.isArg(i, "filterby") && c.argc() - 1 - i == 2) {
        type = c.arg(i + 1).toLowerCase(Locale.ROOT);
        if (!type.equals("module") && !type.equals("aclcat") && !type.equals("pattern")) {
          c.out.error(Errors.SYNTAX);
          return;
        }
        arg = c.arg(i + 2);
        i += 2;
      } else {
        c.out.error(Errors.SYNTAX);
        return;
      }
    }
    List<String> names = new ArrayList<>();
    for (Command k : implemented()) {
      collect(k, type, arg, names);
      for (Command s : k.subcommands().values()) if (s.implemented()) collect(s, type, arg, names);
    }
    c.out.arrayHeader(names.size());
    for (String n : names) c.out.bulk(n);
  }

  private static void collect(Command k, String type, String arg, List<String> names) {
    if (type == null) names.add(k.fullName());
    else if (type.equals("pattern") && Glob.matches(arg.toLowerCase(Locale.ROOT), k.fullName())) names.add(k.fullName());
    else if (type.equals("aclcat") && CommandDocs.categories(k).contains(arg.toUpperCase(Locale.ROOT))) names.add(k.fullName());
  }

  /** COMMAND GETKEYS command arg...: the key arguments by the key specs. */
  static void commandGetkeys(Call c) {
    getKeys(c, false);
  }

  static void commandGetkeysandflags(Call c) {
    getKeys(c, true);
  }

  private static void getKeys(Call c, boolean flags) {
    List<String> argv = c.argv.subList(2, c.argc());
    Command k = CommandTable.get().lookup(argv);
    if (k == null) {
      c.out.error("ERR Invalid command specified");
      return;
    }
    if (!k.arityOk(argv.size())) {
      c.out.error("ERR Invalid number of arguments specified for command");
      return;
    }
    List<Integer> pos = KeySpec.keyPositions(k.keySpecs(), argv, k.arity());
    if (pos == null || pos.isEmpty()) {
      c.out.error(k.keySpecs().isEmpty() ? "ERR The command has no key arguments" : "ERR Invalid arguments specified for command");
      return;
    }
    c.out.arrayHeader(pos.size());
    for (int p : pos) {
      if (!flags) {
        c.out.bulk(argv.get(p));
        continue;
      }
      c.out.arrayHeader(2).bulk(argv.get(p));
      KeySpec spec = specFor(k, argv, p);
      List<String> fl = new ArrayList<>();
      for (String f : List.of("RO", "RW", "OW", "RM", "ACCESS", "UPDATE", "INSERT", "DELETE", "NOT_KEY", "INCOMPLETE", "VARIABLE_FLAGS")) {
        if (spec != null && spec.flags().contains(f)) fl.add(f.length() <= 2 ? f : f.toLowerCase(Locale.ROOT));
      }
      c.out.arrayHeader(fl.size());
      for (String f : fl) c.out.simple(f);
    }
  }

  private static KeySpec specFor(Command k, List<String> argv, int pos) {
    for (KeySpec s : k.keySpecs()) {
      List<Integer> p = KeySpec.keyPositions(List.of(s), argv, k.arity());
      if (p != null && p.contains(pos)) return s;
    }
    return null;
  }

  /**
   * getTimeoutFromObjectOrReply: the deadline in unix ms (0: block forever), or null with the error replied.
   * Seconds are a long double multiplied by 1000 and rounded up; a value too big for a long long wraps
   * negative in C, hence "timeout is negative" for those too.
   */
  static Long parseTimeoutMs(Call c, int i, boolean seconds) {
    String a = c.arg(i);
    long tval;
    if (seconds) {
      Double d = Numbers.parseDouble(a);
      if (d == null) {
        c.out.error("ERR timeout is not a float or out of range");
        return null;
      }
      double ms = Math.ceil(d * 1000.0);
      tval = Double.isNaN(ms) || ms >= 9.223372036854775807e18 || ms < -9.223372036854775807e18 ? Long.MIN_VALUE : (long) ms;
      if (tval < 0) {
        c.out.error("ERR timeout is negative");
        return null;
      }
      return tval > 0 ? tval + c.now() : 0;
    }
    Long v = Numbers.parseLong(a);
    if (v == null) {
      c.out.error("ERR timeout is not an integer or out of range");
      return null;
    }
    if (v < 0) {
      c.out.error("ERR timeout is negative");
      return null;
    }
    return v > 0 ? v + c.now() : 0;
  }
}
