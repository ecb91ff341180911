package sim.zk.script;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import sim.core.Durations;
import sim.core.NodeId;
import sim.core.Simulation;
import sim.zk.client.ZkClient;
import sim.zk.ensemble.Ensemble;
import sim.zk.server.ZkConfig;
import sim.zk.server.ZkMessage;
import sim.zk.tree.Op;
import sim.zk.tree.OpResult;

/**
 * Runs a script on a simulated ensemble: leader election first, then each script client is a {@link
 * ZkClient} node connected round robin to the servers (c1 → zk1, c2 → zk2, ...), so writes go through ZAB
 * and watch events come from the server each client is connected to.
 */
public final class SimBackend implements ScriptBackend {
  private static final NodeId DRIVER = NodeId.of("script");
  private static final long MAX_EVENTS = 2_000_000;
  private final Simulation sim;
  private final Ensemble ensemble;
  private final Map<String, NodeId> clients = new LinkedHashMap<>();
  private final Map<String, Integer> eventsSeen = new LinkedHashMap<>();
  private long settleNanos = Durations.millis(50);

  public SimBackend(long seed, int servers) {
    sim = new Simulation(seed);
    ensemble = new Ensemble(sim, ZkConfig.of(servers));
    if (!sim.runUntil(ensemble::allServing, MAX_EVENTS)) {
      throw new IllegalStateException("the ensemble elected no leader:\n" + ensemble.summary());
    }
  }

  /**
   * How long to let the ensemble run after each reply so other servers apply the commit and fire their
   * watches (50ms by default; 0 when only the replies matter, as in the throughput benchmark).
   */
  public SimBackend withSettle(long nanos) {
    this.settleNanos = nanos;
    return this;
  }

  public Simulation simulation() {
    return sim;
  }

  public Ensemble ensemble() {
    return ensemble;
  }

  @Override
  public OpResult execute(String client, Op op) {
    NodeId id = clients.computeIfAbsent(client, c -> ensemble.addClient(c, clients.size(), 30_000));
    eventsSeen.putIfAbsent(client, 0);
    ZkClient c = ensemble.client(id);
    int before = c.completed().size();
    sim.inject(DRIVER, id, new ZkMessage.Submit(op));
    if (!sim.runUntil(() -> ensemble.client(id).completed().size() > before, MAX_EVENTS)) {
      throw new IllegalStateException(client + " got no answer to " + op + "\n" + ensemble.summary());
    }
    if (settleNanos > 0) sim.runFor(settleNanos);
    return ensemble.client(id).completed().get(before).result();
  }

  @Override
  public List<ClientEvent> drainEvents() {
    List<ClientEvent> out = new ArrayList<>();
    for (Map.Entry<String, Integer> e : eventsSeen.entrySet()) {
      List<ZkClient.Event> all = ensemble.client(clients.get(e.getKey())).events();
      for (int i = e.getValue(); i < all.size(); i++) out.add(new ClientEvent(e.getKey(), all.get(i).type(), all.get(i).path()));
      e.setValue(all.size());
    }
    return out;
  }
}
