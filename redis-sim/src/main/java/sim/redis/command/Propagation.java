package sim.redis.command;

import java.util.List;

/**
 * One entry of server.also_propagate (PUBLISH goes to replicas only: PROPAGATE_REPL): a command vector as it must be replayed (rewritten where Redis rewrites
 * it: SET EX becomes SET PXAT, a lazy expire becomes DEL) and the database it runs in, or -1 for EXEC, which
 * needs no SELECT.
 */
public record Propagation(int db, List<String> argv, boolean replicasOnly) {
  public Propagation {
    argv = List.copyOf(argv);
  }

  public Propagation(int db, List<String> argv) {
    this(db, argv, false);
  }

  /** Where propagated commands go: the AOF buffer (and, with replication, the replicas' stream). */
  @FunctionalInterface
  public interface Sink {
    void propagate(Propagation op);
  }
}
