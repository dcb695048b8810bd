package io.tidemark.diff;

import io.tidemark.model.DesiredState;
import io.tidemark.model.LiveObject;
import io.tidemark.model.LiveState;
import io.tidemark.model.ObjectKey;
import io.tidemark.model.Ownership;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Pairs desired and live objects by key. Every desired object yields a pair; a live object yields
 * one only when it is desired, owned or superseded by a desired one (an unowned, undesired object
 * is none of our business).
 */
public final class Pairing {

  private Pairing() {}

  public static List<Pair> pair(DesiredState desired, LiveState live) {
    Map<ObjectKey, LiveObject> liveByKey = new LinkedHashMap<>();
    for (LiveObject object : live.objects()) {
      liveByKey.put(object.key(), object);
    }
    List<Pair> pairs = new ArrayList<>();
    desired
        .objects()
        .forEach((key, object) -> pairs.add(new Pair(key, object, liveByKey.get(key))));
    for (LiveObject object : live.objects()) {
      boolean ours = object.owned() || object.ownership() == Ownership.SUPERSEDED;
      if (ours && !desired.objects().containsKey(object.key())) {
        pairs.add(new Pair(object.key(), null, object));
      }
    }
    return pairs;
  }
}
