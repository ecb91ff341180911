package sim.kafka.client;

import java.util.ArrayList;
import java.util.List;
import sim.kafka.broker.TopicPartition;

/**
 * What the group's members did, for the checks: each record the application processed, each commit the
 * coordinator acknowledged, each assignment a member received. It outlives members' crashes (it is the
 * application's log, not a member's memory).
 */
public final class GroupLedger {
  public record Processed(String client, String memberId, int generation, TopicPartition tp, long offset, String value, long atNanos) {}

  public record Commit(String client, String memberId, int generation, TopicPartition tp, long offset, long atNanos) {}

  /** {@code owner}: the member's identity, its static {@code group.instance.id} or else its member id. */
  public record Assignment(String client, String memberId, String owner, int generation, List<TopicPartition> partitions, long atNanos) {}

  private final List<Processed> processed = new ArrayList<>();
  private final List<Commit> commits = new ArrayList<>();
  private final List<Assignment> assignments = new ArrayList<>();

  void processed(Processed p) {
    processed.add(p);
  }

  void committed(Commit c) {
    commits.add(c);
  }

  void assigned(Assignment a) {
    assignments.add(a);
  }

  public List<Processed> processed() {
    return processed;
  }

  public List<Commit> commits() {
    return commits;
  }

  public List<Assignment> assignments() {
    return assignments;
  }
}
