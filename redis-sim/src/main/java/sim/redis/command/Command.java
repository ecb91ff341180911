package sim.redis.command;

/**
 * An entry of the command table (server.c's redisCommandTable): lowercase name, arity in Redis's
 * convention (positive = exact argc, negative = at least -arity), whether it writes, and the handler.
 */
public record Command(String name, int arity, boolean write, Handler handler) {
  @FunctionalInterface
  public interface Handler {
    void run(Call call);
  }

  public boolean arityOk(int argc) {
    return arity > 0 ? argc == arity : argc >= -arity;
  }
}
