package io.tidemark.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Frozen trees: unmodifiable all the way down, and never copied twice. */
class TreesTest {

  @Test
  void aFrozenTreeIsNotCopiedAgainAndCannotBeChangedAtAnyDepth() {
    Map<String, Object> frozen = Trees.freeze(tree());

    assertThat(Trees.freeze(frozen)).isSameAs(frozen);
    assertThat(
            new LiveObject(ObjectKey.of("ConfigMap", "a"), frozen, Map.of(), "1", Ownership.OWNED)
                .spec())
        .isSameAs(frozen);
    assertThatThrownBy(() -> frozen.put("x", 1)).isInstanceOf(UnsupportedOperationException.class);
    assertThatThrownBy(() -> map(frozen, "metadata").put("name", "b"))
        .isInstanceOf(UnsupportedOperationException.class);
    assertThatThrownBy(() -> list(frozen, "items").add("c"))
        .isInstanceOf(UnsupportedOperationException.class);
    assertThatThrownBy(() -> frozen.entrySet().iterator().next().setValue("x"))
        .isInstanceOf(UnsupportedOperationException.class);
    assertThat(frozen).isEqualTo(tree()).hasSameHashCodeAs(tree());
  }

  @Test
  void aFreshTreeIsFrozenInPlaceKeepingItsOrderAndValues() {
    Map<String, Object> fresh = tree();
    Map<String, Object> metadata = map(fresh, "metadata");

    Map<String, Object> frozen = Trees.freezeFresh(fresh);

    assertThat(frozen).isEqualTo(tree());
    assertThat(frozen.keySet()).containsExactly("apiVersion", "metadata", "items");
    assertThat(Trees.freeze(frozen)).isSameAs(frozen);
    // The parser's own maps are wrapped, not copied: the metadata map now holds frozen children.
    assertThat(metadata.get("labels")).isSameAs(map(frozen, "metadata").get("labels"));
    assertThatThrownBy(() -> map(map(frozen, "metadata"), "labels").put("b", "2"))
        .isInstanceOf(UnsupportedOperationException.class);
  }

  @Test
  void aFreshTreeWithKeysOtherThanTextIsCopiedWithTextKeys() {
    Map<Object, Object> odd = new LinkedHashMap<>();
    odd.put(1, "one");
    Map<String, Object> fresh = new LinkedHashMap<>();
    fresh.put("odd", odd);

    Map<String, Object> frozen = Trees.freezeFresh(fresh);

    assertThat(map(frozen, "odd")).containsExactly(Map.entry("1", "one"));
  }

  private static Map<String, Object> tree() {
    Map<String, Object> labels = new LinkedHashMap<>();
    labels.put("a", "1");
    Map<String, Object> metadata = new LinkedHashMap<>();
    metadata.put("name", "a");
    metadata.put("labels", labels);
    List<Object> items = new ArrayList<>(List.of("a", "b"));
    items.add(new LinkedHashMap<>(Map.of("k", 1)));
    Map<String, Object> tree = new LinkedHashMap<>();
    tree.put("apiVersion", "v1");
    tree.put("metadata", metadata);
    tree.put("items", items);
    return tree;
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> map(Map<String, Object> tree, String key) {
    return (Map<String, Object>) tree.get(key);
  }

  @SuppressWarnings("unchecked")
  private static List<Object> list(Map<String, Object> tree, String key) {
    return (List<Object>) tree.get(key);
  }
}
