package sim.redis.command;

import java.util.List;

/**
 * Pub/sub commands (pubsub.c, 7.0, RESP2): SUBSCRIBE UNSUBSCRIBE PSUBSCRIBE PUNSUBSCRIBE SSUBSCRIBE
 * SUNSUBSCRIBE PUBLISH SPUBLISH and PUBSUB CHANNELS / NUMSUB / NUMPAT / SHARDCHANNELS / SHARDNUMSUB. PUBLISH
 * is propagated to replicas only (forceCommandPropagation(PROPAGATE_REPL)), never to the AOF.
 */
final class PubSubCommands {
  private PubSubCommands() {}

  static void subscribe(Call c) {
    for (int j = 1; j < c.argc(); j++) c.pubsub().subscribe(c.arg(j), false);
  }

  static void ssubscribe(Call c) {
    if (c.client.inExec) {
      c.out.error("ERR SSUBSCRIBE isn't allowed for a DENY BLOCKING client");
      return;
    }
    for (int j = 1; j < c.argc(); j++) c.pubsub().subscribe(c.arg(j), true);
  }

  static void unsubscribe(Call c) {
    if (c.argc() == 1) c.pubsub().unsubscribeAll(false);
    else for (int j = 1; j < c.argc(); j++) c.pubsub().unsubscribe(c.arg(j), false);
  }

  static void sunsubscribe(Call c) {
    if (c.argc() == 1) c.pubsub().unsubscribeAll(true);
    else for (int j = 1; j < c.argc(); j++) c.pubsub().unsubscribe(c.arg(j), true);
  }

  static void psubscribe(Call c) {
    for (int j = 1; j < c.argc(); j++) c.pubsub().psubscribe(c.arg(j));
  }

  static void punsubscribe(Call c) {
    if (c.argc() == 1) c.pubsub().punsubscribeAll();
    else for (int j = 1; j < c.argc(); j++) c.pubsub().punsubscribe(c.arg(j));
  }

  static void publish(Call c) {
    int receivers = c.pubsub().publish(c.arg(1), c.arg(2), false);
    c.propagateToReplicasOnly();
    c.out.integer(receivers);
  }

  static void spublish(Call c) {
    int receivers = c.pubsub().publish(c.arg(1), c.arg(2), true);
    c.propagateToReplicasOnly();
    c.out.integer(receivers);
  }

  static void channels(Call c) {
    channelList(c, false);
  }

  static void shardchannels(Call c) {
    channelList(c, true);
  }

  private static void channelList(Call c, boolean shard) {
    if (c.argc() > 3) {
      c.out.error(Errors.subcommandSyntax(c));
      return;
    }
    List<String> l = c.pubsub().channels(c.argc() == 2 ? null : c.arg(2), shard);
    c.out.arrayHeader(l.size());
    for (String ch : l) c.out.bulk(ch);
  }

  static void numsub(Call c) {
    numsub(c, false);
  }

  static void shardnumsub(Call c) {
    numsub(c, true);
  }

  private static void numsub(Call c, boolean shard) {
    c.out.arrayHeader((c.argc() - 2) * 2);
    for (int j = 2; j < c.argc(); j++) c.out.bulk(c.arg(j)).integer(c.pubsub().subscribers(c.arg(j), shard));
  }

  static void numpat(Call c) {
    if (c.argc() != 2) {
      c.out.error(Errors.subcommandSyntax(c));
      return;
    }
    c.out.integer(c.pubsub().patterns());
  }
}
