package sim.zk.script;

import java.util.List;
import sim.zk.tree.Op;
import sim.zk.tree.OpResult;

/**
 * Where a script runs: the simulated ensemble ({@link SimBackend}) or, in tests, a real ZooKeeper. A
 * client name is connected (a new session) on its first operation and again on the first after a close.
 */
public interface ScriptBackend {
  /** Runs {@code op} for {@code client} and waits for its result. */
  OpResult execute(String client, Op op);

  /**
   * The watch events delivered since the last call, after every open client has caught up (each client's
   * events in delivery order, clients in the order they first appeared).
   */
  List<ClientEvent> drainEvents();
}
