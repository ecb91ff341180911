package sim.redis.cluster;

import java.util.List;
import java.util.function.Predicate;
import sim.redis.resp.Numbers;

/**
 * clusterCommand's membership subcommands, Redis 7.0's rules and error texts: CLUSTER MEET host port [cport] starts a
 * handshake (the node joins the cluster once the MEET is answered and gossip spreads it); CLUSTER FORGET node-id drops
 * a node and keeps it out of our table for CLUSTER_BLACKLIST_TTL (60 s), so that gossip does not bring it back. Each
 * returns the whole RESP reply.
 */
final class NodeCommands {
  private final ClusterState state;
  /**
   * Whether an address is one: inet_pton's IPv4 form, or (the model's addresses) a host of the simulated network. An IP
   * where no simulated node listens starts a handshake that never connects and times out, as in Redis.
   */
  private final Predicate<String> validAddress;

  NodeCommands(ClusterState state, Predicate<String> validAddress) {
    this.state = state;
    this.validAddress = validAddress;
  }

  /** inet_pton(AF_INET): four decimal octets 0..255, no leading zeros. */
  static boolean ipv4(String s) {
    String[] parts = s.split("\\.", -1);
    if (parts.length != 4) return false;
    for (String p : parts) {
      if (p.isEmpty() || p.length() > 3 || !p.chars().allMatch(Character::isDigit)) return false;
      if (p.length() > 1 && p.charAt(0) == '0') return false;
      if (Integer.parseInt(p) > 255) return false;
    }
    return true;
  }

  private static String error(String text) {
    return "-ERR " + text + "\r\n";
  }

  /** CLUSTER MEET (argc 4 or 5). A handshake already in progress for the address (EAGAIN) is +OK too, as in Redis. */
  String meet(List<String> argv) {
    Long port = Numbers.parseLong(argv.get(3));
    if (port == null) return error("Invalid TCP base port specified: " + argv.get(3));
    Long cport = argv.size() == 5 ? Numbers.parseLong(argv.get(4)) : Long.valueOf(port + 10000); // CLUSTER_PORT_INCR
    if (cport == null) return error("Invalid TCP bus port specified: " + argv.get(4));
    boolean inRange = port > 0 && port <= 65535 && cport > 0 && cport <= 65535;
    if (!inRange || !validAddress.test(argv.get(2))) {
      return error("Invalid node address specified: " + argv.get(2) + ":" + argv.get(3));
    }
    state.startHandshake(argv.get(2), port.intValue(), cport.intValue(), true);
    return "+OK\r\n";
  }

  /** CLUSTER FORGET (argc 3). */
  String forget(List<String> argv) {
    String id = argv.get(2);
    NodeView n = state.node(id);
    if (n == null) return error("Unknown node " + id);
    if (n.name.equals(state.myself)) return error("I tried hard but I can't forget myself...");
    NodeView me = state.me();
    if (!me.master && n.name.equals(me.slaveof)) return error("Can't forget my master!");
    state.blacklist(n.name);
    state.delNode(n);
    state.host.point("redis.cluster.forgot", "forgot node " + n.name + " (blacklisted for 60 s)", "node", n.name);
    state.updateState();
    state.host.saveConfig();
    return "+OK\r\n";
  }
}
