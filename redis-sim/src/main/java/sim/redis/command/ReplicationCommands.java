package sim.redis.command;

/** The replication commands; the work is done by the server's {@link ReplicationControl}. */
final class ReplicationCommands {
  private ReplicationCommands() {}

  static void psync(Call c) {
    if (!present(c)) return;
    c.host.replication().psync(c);
  }

  static void replconf(Call c) {
    if (!present(c)) return;
    if (c.argc() % 2 == 0) { // the options come in pairs
      c.out.error(Errors.SYNTAX);
      return;
    }
    c.host.replication().replconf(c);
  }

  static void replicaof(Call c) {
    if (!present(c)) return;
    if (c.host.config().clusterEnabled) {
      c.out.error("ERR REPLICAOF not allowed in cluster mode.");
      return;
    }
    c.host.replication().replicaof(c);
  }

  static void role(Call c) {
    if (!present(c)) return;
    c.host.replication().role(c);
  }

  /** waitCommand: the argument errors come first, as in replication.c. */
  static void waitCommand(Call c) {
    if (!present(c)) return;
    if (c.host.replication().isReplica()) {
      c.out.error("ERR WAIT cannot be used with replica instances. Please also note that since Redis 4.0 if a replica "
          + "is configured to be writable (which is not the default) writes to replicas are just local and are not propagated.");
      return;
    }
    Long n = c.longArg(1);
    if (n == null) return;
    Long timeout = c.longArg(2, "ERR timeout is not an integer or out of range");
    if (timeout == null) return;
    if (timeout < 0) {
      c.out.error("ERR timeout is negative");
      return;
    }
    c.host.replication().waitFor(c, n, timeout);
  }

  private static boolean present(Call c) {
    if (c.host.replication() != null) return true;
    c.out.error("ERR replication is not available on this server");
    return false;
  }
}
