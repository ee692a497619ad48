package dev.kopi.eval.data;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.io.InputStreamReader;
import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.kopi.eval.config.EvalConfigException;

/** Reads JSON Lines files strictly: invalid UTF-8 or JSON is reported with the file and line number. */
public final class JsonLines {
    public static final ObjectMapper JSON = new ObjectMapper();

    private JsonLines() {}

    public static List<ObjectNode> read(Path file) {
        List<ObjectNode> rows = new ArrayList<>();
        var decoder = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        try (BufferedReader reader = new BufferedReader(new InputStreamReader(Files.newInputStream(file), decoder))) {
            String line;
            int number = 0;
            while ((line = reader.readLine()) != null) {
                number++;
                if (line.isBlank()) {
                    continue;
                }
                rows.add(parseObject(line, file + ":" + number));
            }
        } catch (CharacterCodingException e) {
            throw new EvalConfigException(file + ": not valid UTF-8", e);
        } catch (IOException e) {
            throw new EvalConfigException("cannot read " + file + ": " + e.getMessage(), e);
        }
        return rows;
    }

    static ObjectNode parseObject(String line, String where) {
        try {
            JsonNode node = JSON.readTree(line);
            if (!(node instanceof ObjectNode object)) {
                throw new EvalConfigException(where + ": expected a JSON object");
            }
            return object;
        } catch (JsonProcessingException e) {
            throw new EvalConfigException(where + ": malformed JSON (" + e.getOriginalMessage() + ")", e);
        }
    }
}
