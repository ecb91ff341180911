package sim.redis.sentinel;

import sim.core.Message;

/**
 * The hello a sentinel publishes every 2 s (sentinel_publish_period), in sentinel.c's format:
 * {@code ip,port,runid,current_epoch,master_name,master_ip,master_port,master_config_epoch}. Real sentinels
 * PUBLISH it on {@code __sentinel__:hello} of every monitored server; here it goes to each known sentinel.
 */
public record SentinelHello(String payload) implements Message {}
