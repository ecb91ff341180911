package sim.redis.command;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Which commands redis-sim implements and where: the handler for each command or "container|subcommand" name
 * of Redis 7.0's command table. {@link CommandTable} joins this with the table and refuses a name Redis does
 * not have, so this list is checked against Redis at start-up.
 */
final class Handlers {
  private Handlers() {}

  static Map<String, Command.Handler> all() {
    Map<String, Command.Handler> h = new LinkedHashMap<>();
    // connection (networking.c, server.c)
    h.put("ping", ConnectionCommands::ping);
    h.put("echo", ConnectionCommands::echo);
    h.put("select", ConnectionCommands::select);
    h.put("quit", ConnectionCommands::quit);
    h.put("reset", ConnectionCommands::reset);
    h.put("auth", ConnectionCommands::auth);
    h.put("hello", ConnectionCommands::hello);
    h.put("client|id", ConnectionCommands::clientId);
    h.put("client|setname", ConnectionCommands::clientSetname);
    h.put("client|getname", ConnectionCommands::clientGetname);
    h.put("client|info", ConnectionCommands::clientInfo);
    h.put("client|list", ConnectionCommands::clientList);
    h.put("client|kill", ConnectionCommands::clientKill);
    h.put("client|unblock", ConnectionCommands::clientUnblock);
    h.put("client|no-evict", ConnectionCommands::clientNoEvict);
    // transactions (multi.c)
    h.put("multi", ConnectionCommands::multi);
    h.put("exec", ConnectionCommands::exec);
    h.put("discard", ConnectionCommands::discard);
    h.put("watch", ConnectionCommands::watch);
    h.put("unwatch", ConnectionCommands::unwatch);
    // server (server.c, db.c, config.c, rdb.c, aof.c)
    h.put("dbsize", ServerCommands::dbsize);
    h.put("flushdb", ServerCommands::flushdb);
    h.put("flushall", ServerCommands::flushall);
    h.put("swapdb", ServerCommands::swapdb);
    h.put("save", ServerCommands::save);
    h.put("bgsave", ServerCommands::bgsave);
    h.put("bgrewriteaof", ServerCommands::bgrewriteaof);
    h.put("shutdown", ServerCommands::shutdown);
    h.put("lastsave", ServerCommands::lastsave);
    h.put("info", ServerCommands::info);
    h.put("time", ServerCommands::time);
    h.put("config|get", ServerCommands::configGet);
    h.put("config|set", ServerCommands::configSet);
    h.put("config|resetstat", ServerCommands::configResetstat);
    h.put("config|rewrite", ServerCommands::configRewrite);
    h.put("command", ServerCommands::command);
    h.put("command|count", ServerCommands::commandCount);
    h.put("command|info", ServerCommands::commandInfo);
    h.put("command|docs", ServerCommands::commandDocs);
    h.put("command|list", ServerCommands::commandList);
    h.put("command|getkeys", ServerCommands::commandGetkeys);
    h.put("command|getkeysandflags", ServerCommands::commandGetkeysandflags);
    // replication (replication.c)
    h.put("psync", ReplicationCommands::psync);
    h.put("replconf", ReplicationCommands::replconf);
    h.put("replicaof", ReplicationCommands::replicaof);
    h.put("slaveof", ReplicationCommands::replicaof);
    h.put("role", ReplicationCommands::role);
    h.put("wait", ReplicationCommands::waitCommand);
    // generic keyspace (db.c, expire.c, object.c)
    h.put("del", KeyCommands::del);
    h.put("dump", DumpCommands::dump);
    h.put("restore", DumpCommands::restore);
    h.put("restore-asking", DumpCommands::restore);
    h.put("unlink", KeyCommands::del);
    h.put("exists", KeyCommands::exists);
    h.put("touch", KeyCommands::touch);
    h.put("type", KeyCommands::type);
    h.put("keys", KeyCommands::keys);
    h.put("randomkey", KeyCommands::randomkey);
    h.put("rename", KeyCommands::rename);
    h.put("renamenx", KeyCommands::renamenx);
    h.put("move", KeyCommands::move);
    h.put("copy", KeyCommands::copy);
    h.put("expire", ExpireCommands::expire);
    h.put("pexpire", ExpireCommands::pexpire);
    h.put("expireat", ExpireCommands::expireat);
    h.put("pexpireat", ExpireCommands::pexpireat);
    h.put("ttl", ExpireCommands::ttl);
    h.put("pttl", ExpireCommands::pttl);
    h.put("expiretime", ExpireCommands::expiretime);
    h.put("pexpiretime", ExpireCommands::pexpiretime);
    h.put("persist", ExpireCommands::persist);
    h.put("object|encoding", KeyCommands::objectEncoding);
    h.put("object|refcount", KeyCommands::objectRefcount);
    h.put("object|idletime", KeyCommands::objectIdletime);
    h.put("object|freq", KeyCommands::objectFreq);
    h.put("scan", KeyCommands::scan);
    // strings (t_string.c)
    h.put("get", StringCommands::get);
    h.put("set", StringCommands::set);
    h.put("setnx", StringCommands::setnx);
    h.put("setex", StringCommands::setex);
    h.put("psetex", StringCommands::psetex);
    h.put("getex", StringCommands::getex);
    h.put("getdel", StringCommands::getdel);
    h.put("getset", StringCommands::getset);
    h.put("setrange", StringCommands::setrange);
    h.put("getrange", StringCommands::getrange);
    h.put("substr", StringCommands::getrange);
    h.put("mget", StringCommands::mget);
    h.put("mset", StringCommands::mset);
    h.put("msetnx", StringCommands::msetnx);
    h.put("incr", StringCommands::incr);
    h.put("decr", StringCommands::decr);
    h.put("incrby", StringCommands::incrby);
    h.put("decrby", StringCommands::decrby);
    h.put("incrbyfloat", StringCommands::incrbyfloat);
    h.put("append", StringCommands::append);
    h.put("strlen", StringCommands::strlen);
    h.put("lcs", LcsCommand::lcs);
    // bitmaps (bitops.c)
    h.put("setbit", BitmapCommands::setbit);
    h.put("getbit", BitmapCommands::getbit);
    h.put("bitop", BitmapCommands::bitop);
    h.put("bitcount", BitmapCommands::bitcount);
    h.put("bitpos", BitmapCommands::bitpos);
    h.put("bitfield", BitfieldCommand::bitfield);
    h.put("bitfield_ro", BitfieldCommand::bitfieldRo);
    // hyperloglog (hyperloglog.c)
    h.put("pfadd", HllCommands::pfadd);
    h.put("pfcount", HllCommands::pfcount);
    h.put("pfmerge", HllCommands::pfmerge);
    h.put("pfdebug", HllCommands::pfdebug);
    // lists (t_list.c)
    h.put("lpush", ListCommands::lpush);
    h.put("rpush", ListCommands::rpush);
    h.put("lpushx", ListCommands::lpushx);
    h.put("rpushx", ListCommands::rpushx);
    h.put("linsert", ListCommands::linsert);
    h.put("llen", ListCommands::llen);
    h.put("lindex", ListCommands::lindex);
    h.put("lset", ListCommands::lset);
    h.put("lrange", ListCommands::lrange);
    h.put("ltrim", ListCommands::ltrim);
    h.put("lpos", ListCommands::lpos);
    h.put("lrem", ListCommands::lrem);
    h.put("lpop", ListPops::lpop);
    h.put("rpop", ListPops::rpop);
    h.put("blpop", ListPops::blpop);
    h.put("brpop", ListPops::brpop);
    h.put("lmove", ListPops::lmove);
    h.put("rpoplpush", ListPops::rpoplpush);
    h.put("blmove", ListPops::blmove);
    h.put("brpoplpush", ListPops::brpoplpush);
    h.put("lmpop", ListPops::lmpop);
    h.put("blmpop", ListPops::blmpop);
    // hashes (t_hash.c)
    h.put("hset", HashCommands::hset);
    h.put("hmset", HashCommands::hset);
    h.put("hsetnx", HashCommands::hsetnx);
    h.put("hget", HashCommands::hget);
    h.put("hmget", HashCommands::hmget);
    h.put("hdel", HashCommands::hdel);
    h.put("hlen", HashCommands::hlen);
    h.put("hstrlen", HashCommands::hstrlen);
    h.put("hexists", HashCommands::hexists);
    h.put("hincrby", HashCommands::hincrby);
    h.put("hincrbyfloat", HashCommands::hincrbyfloat);
    h.put("hkeys", HashCommands::hkeys);
    h.put("hvals", HashCommands::hvals);
    h.put("hgetall", HashCommands::hgetall);
    h.put("hscan", HashCommands::hscan);
    h.put("hrandfield", HashCommands::hrandfield);
    // sets (t_set.c)
    h.put("sadd", SetCommands::sadd);
    h.put("srem", SetCommands::srem);
    h.put("sismember", SetCommands::sismember);
    h.put("smismember", SetCommands::smismember);
    h.put("scard", SetCommands::scard);
    h.put("smembers", SetCommands::smembers);
    h.put("smove", SetCommands::smove);
    h.put("spop", SetCommands::spop);
    h.put("srandmember", SetCommands::srandmember);
    h.put("sinter", SetCommands::sinter);
    h.put("sinterstore", SetCommands::sinterstore);
    h.put("sintercard", SetCommands::sintercard);
    h.put("sunion", SetCommands::sunion);
    h.put("sunionstore", SetCommands::sunionstore);
    h.put("sdiff", SetCommands::sdiff);
    h.put("sdiffstore", SetCommands::sdiffstore);
    h.put("sscan", SetCommands::sscan);
    // sorted sets (t_zset.c)
    h.put("zadd", ZSetCommands::zadd);
    h.put("zincrby", ZSetCommands::zincrby);
    h.put("zrem", ZSetCommands::zrem);
    h.put("zcard", ZSetCommands::zcard);
    h.put("zscore", ZSetCommands::zscore);
    h.put("zmscore", ZSetCommands::zmscore);
    h.put("zrank", ZSetCommands::zrank);
    h.put("zrevrank", ZSetCommands::zrevrank);
    h.put("zrange", ZSetRanges::zrange);
    h.put("zrangestore", ZSetRanges::zrangestore);
    h.put("zrevrange", ZSetRanges::zrevrange);
    h.put("zrangebyscore", ZSetRanges::zrangebyscore);
    h.put("zrevrangebyscore", ZSetRanges::zrevrangebyscore);
    h.put("zrangebylex", ZSetRanges::zrangebylex);
    h.put("zrevrangebylex", ZSetRanges::zrevrangebylex);
    h.put("zcount", ZSetRanges::zcount);
    h.put("zlexcount", ZSetRanges::zlexcount);
    h.put("zremrangebyrank", ZSetRanges::zremrangebyrank);
    h.put("zremrangebyscore", ZSetRanges::zremrangebyscore);
    h.put("zremrangebylex", ZSetRanges::zremrangebylex);
    h.put("zpopmin", ZSetPops::zpopmin);
    h.put("zpopmax", ZSetPops::zpopmax);
    h.put("bzpopmin", ZSetPops::bzpopmin);
    h.put("bzpopmax", ZSetPops::bzpopmax);
    h.put("zmpop", ZSetPops::zmpop);
    h.put("bzmpop", ZSetPops::bzmpop);
    h.put("zunion", ZSetAlgebra::zunion);
    h.put("zinter", ZSetAlgebra::zinter);
    h.put("zdiff", ZSetAlgebra::zdiff);
    h.put("zintercard", ZSetAlgebra::zintercard);
    h.put("zunionstore", ZSetAlgebra::zunionstore);
    h.put("zinterstore", ZSetAlgebra::zinterstore);
    h.put("zdiffstore", ZSetAlgebra::zdiffstore);
    h.put("zrandmember", ZSetCommands::zrandmember);
    h.put("zscan", ZSetCommands::zscan);
    // pub/sub (pubsub.c)
    h.put("subscribe", PubSubCommands::subscribe);
    h.put("unsubscribe", PubSubCommands::unsubscribe);
    h.put("psubscribe", PubSubCommands::psubscribe);
    h.put("punsubscribe", PubSubCommands::punsubscribe);
    h.put("ssubscribe", PubSubCommands::ssubscribe);
    h.put("sunsubscribe", PubSubCommands::sunsubscribe);
    h.put("publish", PubSubCommands::publish);
    h.put("spublish", PubSubCommands::spublish);
    h.put("pubsub|channels", PubSubCommands::channels);
    h.put("pubsub|numsub", PubSubCommands::numsub);
    h.put("pubsub|numpat", PubSubCommands::numpat);
    h.put("pubsub|shardchannels", PubSubCommands::shardchannels);
    h.put("pubsub|shardnumsub", PubSubCommands::shardnumsub);
    return h;
  }
}
