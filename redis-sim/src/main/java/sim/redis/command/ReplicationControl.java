package sim.redis.command;

/**
 * What the replication commands (replication.c: REPLICAOF, PSYNC, REPLCONF, WAIT, ROLE) ask of the server's
 * replication. Implemented in {@code sim.redis.replication}; the command package only parses the arguments it
 * shares with Redis's error texts and hands the rest over.
 */
public interface ReplicationControl {
  /** PSYNC replid offset: +FULLRESYNC and the RDB, or +CONTINUE and the backlog, into the client's stream. */
  void psync(Call c);

  /** REPLCONF option value ... (ACK, GETACK, listening-port, capa). */
  void replconf(Call c);

  /** WAIT numreplicas timeout, the timeout already parsed (0: forever). */
  void waitFor(Call c, long numreplicas, long timeoutMs);

  /** REPLICAOF host port | NO ONE. */
  void replicaof(Call c);

  /** ROLE. */
  void role(Call c);

  /** True while this server replicates from a master. */
  boolean isReplica();
}
