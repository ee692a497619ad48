package dev.kopi.eval.data;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.kopi.eval.config.EvalConfigException;

/**
 * Reads parquet files as JSON rows through DuckDB's in-memory engine. Hugging Face datasets store nested columns
 * ({@code prompts: list<struct<...>>}, list labels) with snappy or zstd compression; DuckDB reads all of them and
 * hands each row back as JSON, so parquet and JSONL items go through the same parser.
 */
public final class ParquetRows {
    private ParquetRows() {}

    public static List<ObjectNode> read(Path file) {
        List<ObjectNode> rows = new ArrayList<>();
        try (Connection db = DriverManager.getConnection("jdbc:duckdb:");
                PreparedStatement query = db.prepareStatement("SELECT to_json(t)::VARCHAR FROM read_parquet(?) t")) {
            query.setString(1, file.toString());
            try (ResultSet result = query.executeQuery()) {
                int number = 0;
                while (result.next()) {
                    number++;
                    rows.add(JsonLines.parseObject(result.getString(1), file + " row " + number));
                }
            }
        } catch (SQLException e) {
            throw new EvalConfigException(file + ": not a readable parquet file (" + firstLine(e.getMessage()) + ")", e);
        }
        return rows;
    }

    /** Writes rows given as JSON objects to a parquet file; used to make test data and by {@code kopi eval} tooling. */
    public static void write(List<ObjectNode> rows, Path file) {
        try (Connection db = DriverManager.getConnection("jdbc:duckdb:")) {
            Path json = java.nio.file.Files.createTempFile("kopi-rows", ".jsonl");
            try {
                StringBuilder lines = new StringBuilder();
                for (ObjectNode row : rows) {
                    lines.append(JsonLines.JSON.writeValueAsString(row)).append('\n');
                }
                java.nio.file.Files.writeString(json, lines);
                try (PreparedStatement copy = db.prepareStatement(
                        "COPY (SELECT * FROM read_json(?, format='newline_delimited')) TO '"
                                + file.toString().replace("'", "''") + "' (FORMAT parquet)")) {
                    copy.setString(1, json.toString());
                    copy.execute();
                }
            } finally {
                java.nio.file.Files.deleteIfExists(json);
            }
        } catch (SQLException | java.io.IOException e) {
            throw new EvalConfigException("cannot write " + file + ": " + firstLine(e.getMessage()), e);
        }
    }

    private static String firstLine(String message) {
        if (message == null) {
            return "unknown error";
        }
        int newline = message.indexOf('\n');
        return newline < 0 ? message : message.substring(0, newline);
    }
}
