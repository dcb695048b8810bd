package io.tidemark.cluster.kubernetes;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tidemark.desired.RenderError;
import io.tidemark.model.SourceLocation;
import java.io.IOException;
import java.io.Reader;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Parses a JSON file (one object, a {@code List}, or several objects one after another) into
 * manifests with their start lines. SnakeYAML is no JSON parser (tabs, {@code \/}), so JSON gets
 * its own, with duplicate keys and deep nesting refused.
 */
final class JsonManifestReader {

  private static final ObjectMapper JSON =
      new ObjectMapper(
          JsonFactory.builder()
              .enable(com.fasterxml.jackson.core.StreamReadFeature.STRICT_DUPLICATE_DETECTION)
              .streamReadConstraints(
                  StreamReadConstraints.builder().maxNestingDepth(ManifestReader.MAX_DEPTH).build())
              .build());

  private JsonManifestReader() {}

  static ManifestReader.Result read(Reader reader, String file) {
    List<Manifest> manifests = new ArrayList<>();
    List<RenderError> errors = new ArrayList<>();
    try (JsonParser parser = JSON.createParser(reader)) {
      for (JsonToken token = parser.nextToken(); token != null; token = parser.nextToken()) {
        int line = parser.currentTokenLocation().getLineNr();
        if (token != JsonToken.START_OBJECT) {
          errors.add(RenderError.at(file, line, "a manifest must be an object"));
          parser.skipChildren();
          continue;
        }
        Map<String, Object> object = new LinkedHashMap<>();
        List<Integer> itemLines = new ArrayList<>();
        readObject(parser, object, itemLines);
        if (ManifestReader.isList(object)) {
          List<?> items = (List<?>) object.get("items");
          for (int i = 0; i < items.size(); i++) {
            add(items.get(i), new SourceLocation(file, itemLines.get(i)), manifests, errors);
          }
        } else {
          manifests.add(new Manifest(object, new SourceLocation(file, line)));
        }
      }
    } catch (JsonProcessingException e) {
      int line = e.getLocation() == null ? 0 : e.getLocation().getLineNr();
      errors.add(RenderError.at(file, Math.max(line, 0), "JSON: " + e.getOriginalMessage()));
    } catch (IOException e) {
      errors.add(RenderError.at(file, 0, "not readable: " + e.getMessage()));
    }
    return new ManifestReader.Result(manifests, errors);
  }

  /** Reads one top-level object, noting the line of each element of its {@code items}. */
  private static void readObject(
      JsonParser parser, Map<String, Object> into, List<Integer> itemLines) throws IOException {
    while (parser.nextToken() == JsonToken.FIELD_NAME) {
      String field = parser.currentName();
      JsonToken value = parser.nextToken();
      if ("items".equals(field) && value == JsonToken.START_ARRAY) {
        List<Object> items = new ArrayList<>();
        while (parser.nextToken() != JsonToken.END_ARRAY) {
          itemLines.add(parser.currentTokenLocation().getLineNr());
          items.add(JSON.readValue(parser, Object.class));
        }
        into.put(field, items);
      } else {
        into.put(field, JSON.readValue(parser, Object.class));
      }
    }
  }

  @SuppressWarnings("unchecked")
  private static void add(
      Object item, SourceLocation at, List<Manifest> manifests, List<RenderError> errors) {
    if (item instanceof Map<?, ?> map) {
      manifests.add(new Manifest((Map<String, Object>) map, at));
    } else {
      errors.add(new RenderError(at, "a List item must be an object"));
    }
  }
}
