package sim.redis.command;

import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

/** The commands this model serves, with Redis 7.0's arities (commands/*.json) and write flags. */
public final class CommandTable {
  private final Map<String, Command> commands = new HashMap<>(); // String keys, looked up only

  public CommandTable() {
    add("ping", -1, false, ServerCommands::ping);
    add("echo", 2, false, ServerCommands::echo);
    add("select", 2, false, ServerCommands::select);
    add("dbsize", 1, false, ServerCommands::dbsize);
    add("flushdb", -1, true, ServerCommands::flushdb);
    add("flushall", -1, true, ServerCommands::flushall);
    add("save", 1, false, ServerCommands::save);
    add("bgsave", -1, false, ServerCommands::bgsave);
    add("bgrewriteaof", 1, false, ServerCommands::bgrewriteaof);
    add("shutdown", -1, false, ServerCommands::shutdown);
    add("lastsave", 1, false, ServerCommands::lastsave);
    add("info", -1, false, ServerCommands::info);
    add("config", -2, false, ServerCommands::config);
    add("object", -2, false, KeyCommands::object);
    add("del", -2, true, KeyCommands::del);
    add("exists", -2, false, KeyCommands::exists);
    add("type", 2, false, KeyCommands::type);
    add("keys", 2, false, KeyCommands::keys);
    add("expire", -3, true, KeyCommands::expire);
    add("pexpire", -3, true, KeyCommands::pexpire);
    add("expireat", -3, true, KeyCommands::expireat);
    add("pexpireat", -3, true, KeyCommands::pexpireat);
    add("ttl", 2, false, KeyCommands::ttl);
    add("pttl", 2, false, KeyCommands::pttl);
    add("persist", 2, true, KeyCommands::persist);
    add("get", 2, false, StringCommands::get);
    add("set", -3, true, StringCommands::set);
    add("mget", -2, false, StringCommands::mget);
    add("mset", -3, true, StringCommands::mset);
    add("incr", 2, true, StringCommands::incr);
    add("incrby", 3, true, StringCommands::incrby);
    add("decr", 2, true, StringCommands::decr);
    add("decrby", 3, true, StringCommands::decrby);
    add("append", 3, true, StringCommands::append);
    add("strlen", 2, false, StringCommands::strlen);
    add("lpush", -3, true, ListCommands::lpush);
    add("rpush", -3, true, ListCommands::rpush);
    add("lpop", -2, true, ListCommands::lpop);
    add("rpop", -2, true, ListCommands::rpop);
    add("lrange", 4, false, ListCommands::lrange);
    add("llen", 2, false, ListCommands::llen);
    add("hset", -4, true, HashCommands::hset);
    add("hmset", -4, true, HashCommands::hset);
    add("hget", 3, false, HashCommands::hget);
    add("hdel", -3, true, HashCommands::hdel);
    add("hgetall", 2, false, HashCommands::hgetall);
    add("hlen", 2, false, HashCommands::hlen);
    add("hexists", 3, false, HashCommands::hexists);
    add("sadd", -3, true, SetCommands::sadd);
    add("srem", -3, true, SetCommands::srem);
    add("smembers", 2, false, SetCommands::smembers);
    add("sismember", 3, false, SetCommands::sismember);
    add("scard", 2, false, SetCommands::scard);
    add("zadd", -4, true, ZSetCommands::zadd);
    add("zrem", -3, true, ZSetCommands::zrem);
    add("zscore", 3, false, ZSetCommands::zscore);
    add("zcard", 2, false, ZSetCommands::zcard);
    add("zrank", 3, false, ZSetCommands::zrank);
    add("zrange", -4, false, ZSetCommands::zrange);
    // transactions: handled by RedisServer.execute, listed for arity checks
    add("multi", 1, false, c -> { });
    add("exec", 1, false, c -> { });
    add("discard", 1, false, c -> { });
  }

  private void add(String name, int arity, boolean write, Command.Handler h) {
    Command c = new Command(name, arity, write, h);
    commands.put(name, c);
    commands.put(name.toUpperCase(Locale.ROOT), c); // clients send either case; avoid lowercasing per call
  }

  /** Case-insensitive lookup, null when unknown. */
  public Command lookup(String name) {
    Command c = commands.get(name);
    return c != null ? c : commands.get(name.toLowerCase(Locale.ROOT));
  }
}
