package sim.redis.sentinel;

import java.util.ArrayList;
import java.util.List;

/**
 * The SENTINEL commands a sentinel answers (sentinelCommand), RESP2-encoded: is-master-down-by-addr,
 * get-master-addr-by-name, masters, master, myid; and PING.
 */
final class SentinelCommands {
  private SentinelCommands() {}

  static String execute(Monitor m, List<String> argv) {
    if (argv.isEmpty()) return "-ERR empty command\r\n";
    String cmd = argv.get(0).toLowerCase();
    if (cmd.equals("ping")) return "+PONG\r\n";
    if (!cmd.equals("sentinel") || argv.size() < 2) return "-ERR unknown command '" + argv.get(0) + "'\r\n";
    String sub = argv.get(1).toLowerCase();
    switch (sub) {
      case "is-master-down-by-addr" -> {
        if (argv.size() != 6) return arity(argv.get(1));
        boolean same = m.master.host.equals(argv.get(2)) && Integer.toString(m.master.port).equals(argv.get(3));
        if (!same) return "*3\r\n:0\r\n$1\r\n*\r\n:0\r\n";
        Object[] r = m.isMasterDownByAddr(Long.parseLong(argv.get(4)), argv.get(5));
        return "*3\r\n:" + r[0] + "\r\n" + bulk((String) r[1]) + ":" + r[2] + "\r\n";
      }
      case "get-master-addr-by-name" -> {
        if (argv.size() != 3) return arity(argv.get(1));
        if (!argv.get(2).equals(m.name)) return "*-1\r\n";
        return "*2\r\n" + bulk(m.master.host) + bulk(Integer.toString(m.master.port));
      }
      case "masters" -> {
        return "*1\r\n" + array(masterFields(m));
      }
      case "master" -> {
        if (argv.size() != 3) return arity(argv.get(1));
        if (!argv.get(2).equals(m.name)) return "-ERR No such master with that name\r\n";
        return array(masterFields(m));
      }
      case "myid" -> {
        return bulk(m.host.myId());
      }
      default -> {
        return "-ERR Unknown sentinel subcommand '" + argv.get(1) + "'\r\n";
      }
    }
  }

  private static String arity(String sub) {
    return "-ERR wrong number of arguments for 'sentinel|" + sub.toLowerCase() + "' command\r\n";
  }

  /** addReplySentinelRedisInstance of a master, field for field in 7.0's order. */
  static List<String> masterFields(Monitor m) {
    long now = m.host.now();
    Instance ri = m.master;
    List<String> f = new ArrayList<>();
    add(f, "name", m.name);
    add(f, "ip", ri.host);
    add(f, "port", ri.port);
    add(f, "runid", ri.runId == null ? "" : ri.runId);
    add(f, "flags", flags(m));
    add(f, "link-pending-commands", 0);
    add(f, "link-refcount", 1);
    if (m.failoverInProgress) add(f, "failover-state", stateName(m.failoverState));
    add(f, "last-ping-sent", ri.actPingTime != 0 ? now - ri.actPingTime : 0);
    add(f, "last-ok-ping-reply", now - ri.lastAvailTime);
    add(f, "last-ping-reply", now - ri.lastPongTime);
    if (ri.sdown) add(f, "s-down-time", now - ri.sdownSince);
    if (m.odown) add(f, "o-down-time", now - m.odownSince);
    add(f, "down-after-milliseconds", m.cfg.downAfterMs);
    add(f, "info-refresh", ri.infoRefresh != 0 ? now - ri.infoRefresh : 0);
    add(f, "role-reported", ri.roleReported == Instance.ROLE_MASTER ? "master" : "slave");
    add(f, "role-reported-time", now - ri.roleReportedTime);
    add(f, "config-epoch", m.configEpoch);
    add(f, "num-slaves", m.slaves.size());
    add(f, "num-other-sentinels", m.sentinels.size());
    add(f, "quorum", m.cfg.quorum);
    add(f, "failover-timeout", m.cfg.failoverTimeoutMs);
    add(f, "parallel-syncs", m.cfg.parallelSyncs);
    return f;
  }

  private static String flags(Monitor m) {
    StringBuilder sb = new StringBuilder();
    if (m.master.sdown) sb.append("s_down,");
    if (m.odown) sb.append("o_down,");
    sb.append("master,");
    if (m.failoverInProgress) sb.append("failover_in_progress,");
    sb.setLength(sb.length() - 1);
    return sb.toString();
  }

  static String stateName(int state) {
    return switch (state) {
      case Failover.NONE -> "none";
      case Failover.WAIT_START -> "wait_start";
      case Failover.SELECT_SLAVE -> "select_slave";
      case Failover.SEND_SLAVEOF_NOONE -> "send_slaveof_noone";
      case Failover.WAIT_PROMOTION -> "wait_promotion";
      case Failover.RECONF_SLAVES -> "reconf_slaves";
      case Failover.UPDATE_CONFIG -> "update_config";
      default -> "unknown";
    };
  }

  private static void add(List<String> f, String k, Object v) {
    f.add(k);
    f.add(String.valueOf(v));
  }

  static String bulk(String s) {
    return "$" + s.length() + "\r\n" + s + "\r\n";
  }

  private static String array(List<String> items) {
    StringBuilder sb = new StringBuilder("*").append(items.size()).append("\r\n");
    for (String s : items) sb.append(bulk(s));
    return sb.toString();
  }
}
