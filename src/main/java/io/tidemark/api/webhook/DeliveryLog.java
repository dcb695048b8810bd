package io.tidemark.api.webhook;

import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Remembers the most recent delivery ids of each provider, a bounded number per provider, so that a
 * replayed or redelivered webhook triggers nothing a second time. Thread-safe.
 */
public final class DeliveryLog {

  /** How many delivery ids each provider's log keeps by default. */
  public static final int DEFAULT_CAPACITY = 10_000;

  private final Map<Provider, Map<String, Boolean>> seen = new EnumMap<>(Provider.class);

  public DeliveryLog(int capacity) {
    if (capacity < 1) {
      throw new IllegalArgumentException("capacity must be positive");
    }
    for (Provider provider : Provider.values()) {
      seen.put(provider, new BoundedSet(capacity));
    }
  }

  /** Records the id; true when it is new, false when it was among the remembered ones. */
  public boolean remember(Provider provider, String deliveryId) {
    Map<String, Boolean> ids = seen.get(provider);
    synchronized (ids) {
      return ids.putIfAbsent(deliveryId, Boolean.TRUE) == null;
    }
  }

  /** Forgets the id, so that a redelivery after a failure is processed. */
  public void forget(Provider provider, String deliveryId) {
    Map<String, Boolean> ids = seen.get(provider);
    synchronized (ids) {
      ids.remove(deliveryId);
    }
  }

  /** Insertion-ordered map that drops its oldest entry beyond the capacity. */
  private static final class BoundedSet extends LinkedHashMap<String, Boolean> {

    private final int capacity;

    BoundedSet(int capacity) {
      this.capacity = capacity;
    }

    @Override
    protected boolean removeEldestEntry(Map.Entry<String, Boolean> eldest) {
      return size() > capacity;
    }
  }
}
