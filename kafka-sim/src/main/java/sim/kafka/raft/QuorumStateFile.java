package sim.kafka.raft;

import java.nio.charset.StandardCharsets;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import sim.core.NodeContext;
import sim.core.NodeId;
import sim.core.disk.SimDisk;

/**
 * The {@code quorum-state} file of {@code __cluster_metadata-0}: FileQuorumStateStore's JSON of QuorumStateData version 0
 * (the static-voters format): {@code {"clusterId":"","leaderId":L,"leaderEpoch":E,"votedId":V,"appliedOffset":0,
 * "currentVoters":[{"voterId":3001},...],"data_version":0}}. Written to {@code quorum-state.tmp}, fsynced through the durability door, then
 * renamed; only then may what depends on it (a vote, a candidacy, a leadership) be told. One write is in flight at a time;
 * a change meanwhile is written when it returns.
 */
final class QuorumStateFile {
  record Election(int epoch, NodeId leader, NodeId votedFor) {}

  private record Pending(long version, NodeId to, RaftMessage message) {}

  private static final Pattern FIELD = Pattern.compile("\"(leaderId|leaderEpoch|votedId)\":(-?\\d+)");

  private final SimDisk disk;
  private final String file;
  private final RaftConfig config;
  private long writtenVersion;
  private long durableVersion;
  private long inFlightVersion = -1;
  private Election latest;
  /** Persist before you speak: messages sent while a newer election state is not durable yet. */
  private final java.util.ArrayDeque<Pending> outbox = new java.util.ArrayDeque<>();

  QuorumStateFile(SimDisk disk, String dir, RaftConfig config) {
    this.disk = disk;
    this.file = dir + "/quorum-state";
    this.config = config;
  }

  Election read() {
    if (!disk.exists(file)) return new Election(0, null, null);
    String json = new String(disk.readAll(file), StandardCharsets.UTF_8);
    int epoch = 0;
    int leader = -1;
    int voted = -1;
    Matcher m = FIELD.matcher(json);
    while (m.find()) {
      int v = Integer.parseInt(m.group(2));
      switch (m.group(1)) {
        case "leaderId" -> leader = v;
        case "leaderEpoch" -> epoch = v;
        default -> voted = v;
      }
    }
    return new Election(Math.max(0, epoch), config.voterOf(leader), config.voterOf(voted));
  }

  /** The file's text; {@code currentVoters} lists the static voters, as Kafka writes (and needs, to read) version 0. */
  String json(int leaderId, int epoch, int votedId) {
    StringBuilder voters = new StringBuilder();
    for (NodeId v : config.voters()) voters.append(voters.length() == 0 ? "" : ",").append("{\"voterId\":").append(config.idOf(v)).append('}');
    return "{\"clusterId\":\"\",\"leaderId\":" + leaderId + ",\"leaderEpoch\":" + epoch + ",\"votedId\":" + votedId
        + ",\"appliedOffset\":0,\"currentVoters\":[" + voters + "],\"data_version\":0}";
  }

  /** Records a new election state; the caller's messages wait until {@link #durableVersion} reaches {@link #writtenVersion}. */
  void write(NodeContext ctx, int epoch, NodeId leader, NodeId votedFor) {
    Election next = new Election(epoch, leader, votedFor);
    if (next.equals(latest)) return;
    latest = next;
    writtenVersion++;
    if (inFlightVersion < 0) flush(ctx);
  }

  private void flush(NodeContext ctx) {
    inFlightVersion = writtenVersion;
    String tmp = file + ".tmp";
    disk.delete(tmp);
    int leaderId = latest.leader() == null ? -1 : config.idOf(latest.leader());
    int votedId = latest.votedFor() == null ? -1 : config.idOf(latest.votedFor());
    disk.write(tmp, 0, json(leaderId, latest.epoch(), votedId).getBytes(StandardCharsets.UTF_8));
    ctx.fsyncThen(tmp, new RaftTimer.QuorumStatePersisted(0, inFlightVersion));
  }

  void onPersisted(NodeContext ctx, long version) {
    disk.rename(file + ".tmp", file);
    durableVersion = version;
    inFlightVersion = -1;
    if (writtenVersion > durableVersion) flush(ctx);
    while (!outbox.isEmpty() && outbox.peekFirst().version() <= durableVersion) {
      Pending p = outbox.pollFirst();
      ctx.send(p.to(), p.message());
    }
  }

  /** Sends {@code m} now if the election state is durable, else once the fsync of the state it was sent in returned. */
  void send(NodeContext ctx, NodeId to, RaftMessage m) {
    if (durableVersion >= writtenVersion) ctx.send(to, m);
    else outbox.addLast(new Pending(writtenVersion, to, m));
  }

  long writtenVersion() {
    return writtenVersion;
  }

  long durableVersion() {
    return durableVersion;
  }
}
