package sim.kafka.broker;

import java.util.List;
import sim.core.Message;
import sim.core.NodeContext;
import sim.core.NodeId;

/**
 * Where a broker sends controller requests: the active controller of the quorum ({@code controller.quorum.voters}).
 * A NOT_CONTROLLER answer points it at the leader; a heartbeat left unanswered moves it to the next voter. With one
 * voter it always sends there.
 */
public final class ControllerTarget {
  private final List<NodeId> voters;
  private int current;
  private boolean answered = true;
  /** KRaft: the quorum leader the broker's own raft client knows (RaftControllerNodeProvider), or null. */
  private java.util.function.Supplier<NodeId> knownLeader = () -> null;

  public ControllerTarget(List<NodeId> voters) {
    this.voters = List.copyOf(voters);
  }

  public static ControllerTarget of(NodeId controller) {
    return new ControllerTarget(List.of(controller));
  }

  public NodeId current() {
    NodeId leader = knownLeader.get();
    return leader != null && voters.contains(leader) ? leader : voters.get(current);
  }

  /** A KRaft broker sends to the leader its metadata log's observer fetches from, whenever it knows one. */
  void followLeaderOf(java.util.function.Supplier<NodeId> leader) {
    this.knownLeader = leader;
  }

  public void send(NodeContext ctx, Message m) {
    ctx.send(current(), m);
  }

  /** A heartbeat (or registration): if the last one got no answer, try the next voter first. */
  public void heartbeat(NodeContext ctx, Message m) {
    if (!answered && voters.size() > 1) current = (current + 1) % voters.size();
    answered = false;
    send(ctx, m);
  }

  /** The broker heard from {@code from}: a heartbeat answer, or NOT_CONTROLLER naming the leader. */
  public void onAnswer(NodeContext ctx, NodeId from, Message m) {
    if (!(m instanceof KafkaMessage.NotController n)) {
      if (from.equals(current())) answered = true;
      return;
    }
    int i = n.leader() == null ? -1 : voters.indexOf(n.leader());
    current = i >= 0 ? i : (current + 1) % voters.size();
    answered = true; // the next heartbeat goes where it was pointed
    ctx.note("NOT_CONTROLLER from " + from + ": the active controller is " + (i >= 0 ? n.leader() : "unknown, trying " + current()));
  }
}
