package sim.zk.server;

import sim.core.NodeContext;

/**
 * The ZooKeeper rules a run can switch off ({@code ./sim run S --break RULE}) to show why they exist. A
 * server reads them once when it starts.
 *
 * @param commitWithoutQuorum the leader commits a proposal on one ACK (its own) instead of a quorum's
 * @param electLowestZxid fast leader election prefers the vote with the lower zxid
 * @param ackBeforeFsync a proposal is ACKed (and the leader counts itself) once it is in the page cache
 * @param acceptClientAhead a server accepts a client that has seen a zxid it has not applied
 */
public record RuleBreaks(boolean commitWithoutQuorum, boolean electLowestZxid, boolean ackBeforeFsync, boolean acceptClientAhead) {
  public static final String COMMIT_WITHOUT_QUORUM = "zk.commit-without-quorum";
  public static final String ELECT_LOWEST_ZXID = "zk.elect-lowest-zxid";
  public static final String ACK_BEFORE_FSYNC = "zk.ack-before-fsync";
  public static final String ACCEPT_CLIENT_AHEAD = "zk.accept-client-ahead";

  public static RuleBreaks of(NodeContext ctx) {
    return new RuleBreaks(ctx.isBroken(COMMIT_WITHOUT_QUORUM), ctx.isBroken(ELECT_LOWEST_ZXID), ctx.isBroken(ACK_BEFORE_FSYNC),
        ctx.isBroken(ACCEPT_CLIENT_AHEAD));
  }
}
