package sim.redis.command;

import java.util.List;
import sim.redis.keyspace.Keyspace;

/**
 * The connection family (server.c, networking.c, multi.c): PING ECHO SELECT QUIT RESET HELLO AUTH CLIENT, and
 * the transaction commands MULTI EXEC DISCARD WATCH UNWATCH. RESP3 is not spoken: HELLO 3 answers NOPROTO.
 */
final class ConnectionCommands {
  private ConnectionCommands() {}

  static void ping(Call c) {
    if (c.argc() > 2) {
      c.out.error(Errors.arity("ping"));
      return;
    }
    if (c.client.inPubSub()) {
      c.out.arrayHeader(2).bulk("pong").bulk(c.argc() == 1 ? "" : c.arg(1));
    } else if (c.argc() == 1) {
      c.out.simple("PONG");
    } else {
      c.out.bulk(c.arg(1));
    }
  }

  static void echo(Call c) {
    c.out.bulk(c.arg(1));
  }

  static void select(Call c) {
    Long id = c.longInRange(1, Integer.MIN_VALUE, Integer.MAX_VALUE, Errors.NOT_INTEGER);
    if (id == null) return;
    if (c.host.config().clusterEnabled && id != 0) {
      c.out.error("ERR SELECT is not allowed in cluster mode");
      return;
    }
    if (id < 0 || id >= Keyspace.DATABASES) {
      c.out.error(Errors.DB_RANGE);
      return;
    }
    c.client.select((int) (long) id);
    c.out.ok();
  }

  static void quit(Call c) {
    c.out.ok();
    c.client.closeAfterReply = true;
  }

  /** RESET: db 0, no transaction, no subscriptions, no name, RESP2. */
  static void reset(Call c) {
    if (c.client.isMaster()) {
      c.out.error("ERR can only reset normal client connections");
      return;
    }
    c.client.select(0);
    c.dispatcher().discard(c.client);
    c.dispatcher().pubsub.unsubscribeAll(c.client, false);
    c.client.setName("");
    c.out.simple("RESET");
  }

  static void auth(Call c) {
    if (c.argc() > 3) {
      c.out.error(Errors.SYNTAX);
      return;
    }
    if (c.argc() == 2) {
      c.out.error("ERR AUTH <password> called without any password configured for the default user. Are you sure your "
          + "configuration is correct?");
      return;
    }
    if (c.isArg(1, "default")) {
      c.out.ok();
      return;
    }
    c.out.error("WRONGPASS invalid username-password pair or user is disabled.");
  }

  /** HELLO [protover [AUTH user pass] [SETNAME name]]: RESP2 only. */
  static void hello(Call c) {
    int next = 1;
    if (c.argc() >= 2) {
      Long ver = c.longArg(next++, "ERR Protocol version is not an integer or out of range");
      if (ver == null) return;
      if (ver < 2 || ver > 3) {
        c.out.error("NOPROTO unsupported protocol version");
        return;
      }
      if (ver == 3) {
        c.out.error("NOPROTO unsupported protocol version (redis-sim speaks RESP2 only)");
        return;
      }
    }
    for (int j = next; j < c.argc(); j++) {
      int more = c.argc() - 1 - j;
      if (c.isArg(j, "auth") && more >= 2) {
        if (!c.isArg(j + 1, "default")) {
          c.out.error("WRONGPASS invalid username-password pair or user is disabled.");
          return;
        }
        j += 2;
      } else if (c.isArg(j, "setname") && more >= 1) {
        if (!setName(c, c.arg(j + 1))) return;
        j++;
      } else {
        c.out.error("ERR Syntax error in HELLO option '" + c.arg(j) + "'");
        return;
      }
    }
    c.out.arrayHeader(14);
    c.out.bulk("server").bulk("redis");
    c.out.bulk("version").bulk(CommandTable.get().redisVersion());
    c.out.bulk("proto").integer(2);
    c.out.bulk("id").integer(c.client.id());
    c.out.bulk("mode").bulk(c.host.config().clusterEnabled ? "cluster" : "standalone");
    c.out.bulk("role").bulk(c.host.role());
    c.out.bulk("modules").arrayHeader(0);
  }

  private static boolean setName(Call c, String name) {
    for (int j = 0; j < name.length(); j++) {
      char ch = name.charAt(j);
      if (ch < '!' || ch > '~') {
        c.out.error("ERR Client names cannot contain spaces, newlines or special characters.");
        return false;
      }
    }
    c.client.setName(name);
    return true;
  }

  // ---- CLIENT --------------------------------------------------------------------------------------------

  static void clientId(Call c) {
    c.out.integer(c.client.id());
  }

  static void clientSetname(Call c) {
    if (setName(c, c.arg(2))) c.out.ok();
  }

  static void clientGetname(Call c) {
    c.out.bulk(c.client.name().isEmpty() ? null : c.client.name());
  }

  static void clientInfo(Call c) {
    c.out.bulk(info(c, c.client) + "\n");
  }

  /** catClientInfoString, with the fields this model has a value for (buffers and memory are estimates). */
  static String info(Call c, ClientState k) {
    long nowSec = c.now() / 1000;
    StringBuilder flags = new StringBuilder();
    if (k.flagsReplica != 0) flags.append('S');
    if (k.isMaster()) flags.append('M');
    if (k.inPubSub()) flags.append('P');
    if (k.inMulti) flags.append('x');
    if (k.isBlocked()) flags.append('b');
    if (k.dirtyCas) flags.append('d');
    if (k.closeAfterReply) flags.append('c');
    if (flags.length() == 0) flags.append('N');
    return "id=" + k.id() + " addr=" + k.addr() + " laddr=127.0.0.1:" + c.host.config().port + " fd=" + (k.id() + 7)
        + " name=" + k.name() + " age=" + (nowSec - k.createdMs() / 1000) + " idle=" + (nowSec - k.lastInteractionMs / 1000)
        + " flags=" + flags + " db=" + k.db + " sub=" + k.channels.size() + " psub=" + k.patterns.size() + " ssub="
        + k.shardChannels.size() + " multi=" + (k.inMulti ? k.queued.size() : -1) + " qbuf=0 qbuf-free=0 argv-mem=0 "
        + "multi-mem=0 rbs=1024 rbp=0 obl=0 oll=0 omem=0 tot-mem=0 events=r cmd=" + k.lastCommand
        + " user=default redir=-1 resp=2";
  }

  static void clientList(Call c) {
    StringBuilder sb = new StringBuilder();
    if (c.argc() == 4 && c.isArg(2, "type")) {
      String type = c.arg(3).toLowerCase(java.util.Locale.ROOT);
      if (!List.of("normal", "master", "replica", "slave", "pubsub").contains(type)) {
        c.out.error("ERR Unknown client type '" + c.arg(3) + "'");
        return;
      }
      for (ClientState k : c.dispatcher().clients()) if (type(k).equals(type.equals("slave") ? "replica" : type)) sb.append(info(c, k)).append('\n');
    } else if (c.argc() > 3 && c.isArg(2, "id")) {
      for (int j = 3; j < c.argc(); j++) {
        Long id = c.longArg(j, "ERR Invalid client ID");
        if (id == null) return;
        ClientState k = c.dispatcher().client(id);
        if (k != null) sb.append(info(c, k)).append('\n');
      }
    } else if (c.argc() != 2) {
      c.out.error(Errors.SYNTAX);
      return;
    } else {
      for (ClientState k : c.dispatcher().clients()) sb.append(info(c, k)).append('\n');
    }
    c.out.bulk(sb.toString());
  }

  private static String type(ClientState k) {
    if (k.isMaster()) return "master";
    if (k.flagsReplica != 0) return "replica";
    if (k.inPubSub()) return "pubsub";
    return "normal";
  }

  /** CLIENT KILL addr | CLIENT KILL [ID id] [TYPE t] [ADDR a] [LADDR a] [USER u] [SKIPME yes|no]. */
  static void clientKill(Call c) {
    String addr = null;
    String laddr = null;
    String type = null;
    long id = 0;
    boolean skipme = true;
    if (c.argc() == 3) {
      addr = c.arg(2);
      skipme = false;
    } else {
      for (int i = 2; i < c.argc(); i += 2) {
        boolean more = c.argc() > i + 1;
        if (c.isArg(i, "id") && more) {
          Long v = c.longInRange(i + 1, 1, Long.MAX_VALUE, "ERR client-id should be greater than 0");
          if (v == null) return;
          id = v;
        } else if (c.isArg(i, "type") && more) {
          type = c.arg(i + 1).toLowerCase(java.util.Locale.ROOT);
          if (!List.of("normal", "master", "replica", "slave", "pubsub").contains(type)) {
            c.out.error("ERR Unknown client type '" + c.arg(i + 1) + "'");
            return;
          }
          if (type.equals("slave")) type = "replica";
        } else if (c.isArg(i, "addr") && more) {
          addr = c.arg(i + 1);
        } else if (c.isArg(i, "laddr") && more) {
          laddr = c.arg(i + 1);
        } else if (c.isArg(i, "user") && more) {
          if (!c.arg(i + 1).equals("default")) {
            c.out.error("ERR No such user '" + c.arg(i + 1) + "'");
            return;
          }
        } else if (c.isArg(i, "skipme") && more) {
          if (c.isArg(i + 1, "yes")) skipme = true;
          else if (c.isArg(i + 1, "no")) skipme = false;
          else {
            c.out.error(Errors.SYNTAX);
            return;
          }
        } else {
          c.out.error(Errors.SYNTAX);
          return;
        }
      }
    }
    int killed = 0;
    for (ClientState k : List.copyOf(c.dispatcher().clients())) {
      if (addr != null && !k.addr().equals(addr)) continue;
      if (laddr != null && !laddr.equals("127.0.0.1:" + c.host.config().port)) continue;
      if (type != null && !type(k).equals(type)) continue;
      if (id != 0 && k.id() != id) continue;
      if (k == c.client && skipme) continue;
      k.closeAfterReply = true;
      if (k != c.client) c.dispatcher().wrote(k);
      killed++;
    }
    if (c.argc() == 3) {
      if (killed == 0) c.out.error("ERR No such client");
      else c.out.ok();
    } else {
      c.out.integer(killed);
    }
  }

  static void clientUnblock(Call c) {
    boolean error = false;
    if (c.argc() == 4) {
      if (c.isArg(3, "timeout")) error = false;
      else if (c.isArg(3, "error")) error = true;
      else {
        c.out.error("ERR CLIENT UNBLOCK reason should be TIMEOUT or ERROR");
        return;
      }
    }
    Long id = c.longArg(2);
    if (id == null) return;
    ClientState target = c.dispatcher().client(id);
    c.out.integer(target != null && c.dispatcher().blocking.unblockByClient(target, error) ? 1 : 0);
  }

  static void clientNoEvict(Call c) {
    if (c.isArg(2, "on") || c.isArg(2, "off")) c.out.ok();
    else c.out.error(Errors.SYNTAX);
  }

  // ---- transactions ---------------------------------------------------------------------------------------

  static void multi(Call c) {
    if (c.client.inMulti) {
      c.out.error("ERR MULTI calls can not be nested");
      return;
    }
    c.client.inMulti = true;
    c.out.ok();
  }

  static void exec(Call c) {
    c.dispatcher().exec(c.client);
  }

  static void discard(Call c) {
    if (!c.client.inMulti) {
      c.out.error("ERR DISCARD without MULTI");
      return;
    }
    c.dispatcher().discard(c.client);
    c.out.ok();
  }

  static void watch(Call c) {
    if (c.client.inMulti) {
      c.out.error("ERR WATCH inside MULTI is not allowed");
      return;
    }
    if (!c.client.dirtyCas) {
      for (int j = 1; j < c.argc(); j++) c.dispatcher().watches.watch(c.client, c.db(), c.arg(j), c.now());
    }
    c.out.ok();
  }

  static void unwatch(Call c) {
    c.dispatcher().watches.unwatchAll(c.client);
    c.client.dirtyCas = false;
    c.out.ok();
  }
}
