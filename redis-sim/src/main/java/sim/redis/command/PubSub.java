package sim.redis.command;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import sim.redis.keyspace.Dict;
import sim.redis.keyspace.Glob;

/**
 * Pub/sub (pubsub.c, RESP2 shapes): server.pubsub_channels and pubsubshard_channels (dicts of channel to
 * subscribers in subscription order), server.pubsub_patterns, and the push messages written straight into
 * the subscribers' reply buffers.
 */
final class PubSub {
  private static final Set<String> ALLOWED = Set.of("ping", "subscribe", "ssubscribe", "unsubscribe", "sunsubscribe",
      "psubscribe", "punsubscribe", "quit", "reset");

  private final Dispatcher dispatcher;
  private final Dict<List<ClientState>> channels = new Dict<>();
  private final Dict<List<ClientState>> shardChannels = new Dict<>();
  private final Dict<List<ClientState>> patterns = new Dict<>();

  PubSub(Dispatcher dispatcher) {
    this.dispatcher = dispatcher;
  }

  /** In RESP2 a subscribed client may only run these. */
  static boolean allowedInContext(String command) {
    return ALLOWED.contains(command);
  }

  int channelCount() {
    return channels.size();
  }

  int patternCount() {
    return patterns.size();
  }

  int shardChannelCount() {
    return shardChannels.size();
  }

  private static int count(ClientState c) {
    return c.channels.size() + c.patterns.size();
  }

  private static void push(ClientState c, String kind, String name, long count) {
    c.out.arrayHeader(3).bulk(kind);
    if (name == null) c.out.nullBulk();
    else c.out.bulk(name);
    c.out.integer(count);
  }

  void subscribe(ClientState c, String channel, boolean shard) {
    Dict<Boolean> mine = shard ? c.shardChannels : c.channels;
    Dict<List<ClientState>> all = shard ? shardChannels : channels;
    if (mine.put(channel, Boolean.TRUE) == null) {
      List<ClientState> l = all.get(channel);
      if (l == null) {
        l = new ArrayList<>();
        all.put(channel, l);
      }
      l.add(c);
    }
    push(c, shard ? "ssubscribe" : "subscribe", channel, shard ? c.shardChannels.size() : count(c));
  }

  boolean unsubscribe(ClientState c, String channel, boolean shard, boolean notify) {
    Dict<Boolean> mine = shard ? c.shardChannels : c.channels;
    Dict<List<ClientState>> all = shard ? shardChannels : channels;
    boolean was = mine.remove(channel) != null;
    if (was) {
      List<ClientState> l = all.get(channel);
      l.remove(c);
      if (l.isEmpty()) all.remove(channel);
    }
    if (notify) push(c, shard ? "sunsubscribe" : "unsubscribe", channel, shard ? c.shardChannels.size() : count(c));
    return was;
  }

  void unsubscribeAllChannels(ClientState c, boolean shard, boolean notify) {
    Dict<Boolean> mine = shard ? c.shardChannels : c.channels;
    int n = 0;
    for (String ch : mine.keys()) if (unsubscribe(c, ch, shard, notify)) n++;
    if (notify && n == 0) push(c, shard ? "sunsubscribe" : "unsubscribe", null, shard ? c.shardChannels.size() : count(c));
  }

  void psubscribe(ClientState c, String pattern) {
    if (!c.patterns.contains(pattern)) {
      c.patterns.add(pattern);
      List<ClientState> l = patterns.get(pattern);
      if (l == null) {
        l = new ArrayList<>();
        patterns.put(pattern, l);
      }
      l.add(c);
    }
    push(c, "psubscribe", pattern, count(c));
  }

  boolean punsubscribe(ClientState c, String pattern, boolean notify) {
    boolean was = c.patterns.remove(pattern);
    if (was) {
      List<ClientState> l = patterns.get(pattern);
      l.remove(c);
      if (l.isEmpty()) patterns.remove(pattern);
    }
    if (notify) push(c, "punsubscribe", pattern, count(c));
    return was;
  }

  void punsubscribeAll(ClientState c, boolean notify) {
    int n = 0;
    for (String p : List.copyOf(c.patterns)) if (punsubscribe(c, p, notify)) n++;
    if (notify && n == 0) push(c, "punsubscribe", null, count(c));
  }

  void unsubscribeAll(ClientState c, boolean notify) {
    unsubscribeAllChannels(c, false, notify);
    unsubscribeAllChannels(c, true, notify);
    punsubscribeAll(c, notify);
  }

  /** pubsubPublishMessage: channel subscribers, then (not for shard channels) matching patterns in dict order. */
  int publish(String channel, String message, boolean shard) {
    int receivers = 0;
    List<ClientState> l = (shard ? shardChannels : channels).get(channel);
    if (l != null) {
      for (ClientState c : l) {
        c.out.arrayHeader(3).bulk(shard ? "smessage" : "message").bulk(channel).bulk(message);
        dispatcher.wrote(c);
        receivers++;
      }
    }
    if (shard) return receivers;
    Map<String, List<ClientState>> matching = new LinkedHashMap<>();
    patterns.forEach((p, clients) -> {
      if (Glob.matches(p, channel)) matching.put(p, clients);
    });
    for (Map.Entry<String, List<ClientState>> e : matching.entrySet()) {
      for (ClientState c : e.getValue()) {
        c.out.arrayHeader(4).bulk("pmessage").bulk(e.getKey()).bulk(channel).bulk(message);
        dispatcher.wrote(c);
        receivers++;
      }
    }
    return receivers;
  }

  /** channelList: active channels matching the pattern, in dict order. */
  List<String> channelList(String pattern, boolean shard) {
    List<String> out = new ArrayList<>();
    (shard ? shardChannels : channels).forEach((ch, clients) -> {
      if (pattern == null || Glob.matches(pattern, ch)) out.add(ch);
    });
    return out;
  }

  int subscribers(String channel, boolean shard) {
    List<ClientState> l = (shard ? shardChannels : channels).get(channel);
    return l == null ? 0 : l.size();
  }
}
