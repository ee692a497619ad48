package dev.kopi.server;

import dev.kopi.engine.generate.GenerationResult;
import dev.kopi.engine.sample.SamplerSettings;
import dev.langchain4j.agent.tool.ToolExecutionRequest;
import dev.langchain4j.agent.tool.ToolSpecification;
import dev.langchain4j.data.message.AiMessage;
import dev.langchain4j.data.message.SystemMessage;
import dev.langchain4j.data.message.UserMessage;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.langchain4j.model.chat.request.json.JsonObjectSchema;
import dev.langchain4j.model.chat.response.ChatResponse;
import dev.langchain4j.model.chat.response.StreamingChatResponseHandler;
import dev.langchain4j.model.openai.OpenAiChatModel;
import dev.langchain4j.model.openai.OpenAiStreamingChatModel;
import dev.langchain4j.model.output.FinishReason;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** LangChain4j's OpenAI client, unchanged, against kopi serve: chat, streaming, thinking and tool calls. */
class LangChain4jTest {
    static final Map<String, Object> NO_THINKING = Map.of("chat_template_kwargs", Map.of("enable_thinking", false));

    @Test
    void chatAndStreamingGiveTheInProcessAnswer() throws Exception {
        GenerationResult expected = ChatCompletionsTest.reference("Apa khabar hari ini?",
                SamplerSettings.defaults(7).withTemperature(1.0f), 12);
        ChatRequest request = ChatRequest.builder().messages(SystemMessage.from(ChatCompletionsTest.SYSTEM),
                UserMessage.from("Apa khabar hari ini?")).build();

        OpenAiChatModel chat = OpenAiChatModel.builder().baseUrl(TestServers.SERVER.baseUrl().toString())
                .apiKey(TestServers.API_KEY).modelName(TestServers.MODEL_NAME).temperature(1.0).seed(7).maxTokens(12)
                .customParameters(NO_THINKING).maxRetries(0).timeout(Duration.ofMinutes(2)).build();
        ChatResponse response = chat.chat(request);
        assertThat(response.aiMessage().text()).isEqualTo(expected.content());
        assertThat(response.tokenUsage().outputTokenCount()).isEqualTo(expected.tokens().length);
        assertThat(response.tokenUsage().inputTokenCount()).isEqualTo(expected.promptTokens());

        OpenAiStreamingChatModel streaming = OpenAiStreamingChatModel.builder()
                .baseUrl(TestServers.SERVER.baseUrl().toString()).apiKey(TestServers.API_KEY)
                .modelName(TestServers.MODEL_NAME).temperature(1.0).seed(7).maxTokens(12).customParameters(NO_THINKING)
                .timeout(Duration.ofMinutes(2)).build();
        StringBuilder partial = new StringBuilder();
        ChatResponse streamed = stream(streaming, request, partial);
        assertThat(partial.toString()).isEqualTo(expected.content());
        assertThat(streamed.aiMessage().text()).isEqualTo(expected.content());
    }

    @Test
    void thinkingAndToolCallsReachLangChain4j() throws Exception {
        OpenAiChatModel scripted = OpenAiChatModel.builder().baseUrl(TestServers.scriptedServer().baseUrl().toString())
                .apiKey(TestServers.API_KEY).modelName("scripted-qwen3").maxTokens(60).returnThinking(true)
                .maxRetries(0).timeout(Duration.ofMinutes(2)).build();
        ScriptedAnswersTest.script(ScriptedAnswersTest.OPEN_ASSISTANT, "<think>\nA greeting.\n</think>\n\nHalo!");
        AiMessage thought = scripted.chat(ChatRequest.builder().messages(UserMessage.from("Halo")).build()).aiMessage();
        assertThat(thought.thinking()).isEqualTo("A greeting.");
        assertThat(thought.text()).isEqualTo("Halo!");

        ScriptedAnswersTest.script(ScriptedAnswersTest.OPEN_ASSISTANT, ScriptedAnswersTest.WEATHER_CALL);
        ToolSpecification weather = ToolSpecification.builder().name("get_weather").description("The weather in a city")
                .parameters(JsonObjectSchema.builder().addStringProperty("city").required("city").build()).build();
        ChatResponse response = scripted.chat(ChatRequest.builder().messages(UserMessage.from("Cuaca di Jakarta?"))
                .toolSpecifications(weather).build());
        assertThat(response.finishReason()).isEqualTo(FinishReason.TOOL_EXECUTION);
        ToolExecutionRequest call = response.aiMessage().toolExecutionRequests().getFirst();
        assertThat(call.name()).isEqualTo("get_weather");
        assertThat(Http.JSON.readTree(call.arguments())).isEqualTo(Http.JSON.createObjectNode().put("city", "Jakarta"));

        OpenAiStreamingChatModel streaming = OpenAiStreamingChatModel.builder()
                .baseUrl(TestServers.scriptedServer().baseUrl().toString()).apiKey(TestServers.API_KEY)
                .modelName("scripted-qwen3").maxTokens(60).timeout(Duration.ofMinutes(2)).build();
        ChatResponse streamed = stream(streaming, ChatRequest.builder().messages(UserMessage.from("Cuaca di Jakarta?"))
                .toolSpecifications(weather).build(), new StringBuilder());
        assertThat(streamed.aiMessage().toolExecutionRequests()).extracting(ToolExecutionRequest::name)
                .containsExactly("get_weather");
        assertThat(Http.JSON.readTree(streamed.aiMessage().toolExecutionRequests().getFirst().arguments()))
                .isEqualTo(Http.JSON.createObjectNode().put("city", "Jakarta"));
    }

    static ChatResponse stream(OpenAiStreamingChatModel model, ChatRequest request, StringBuilder partial)
            throws Exception {
        CompletableFuture<ChatResponse> done = new CompletableFuture<>();
        model.chat(request, new StreamingChatResponseHandler() {
            @Override
            public void onPartialResponse(String text) {
                partial.append(text);
            }

            @Override
            public void onCompleteResponse(ChatResponse response) {
                done.complete(response);
            }

            @Override
            public void onError(Throwable error) {
                done.completeExceptionally(error);
            }
        });
        return done.get(2, TimeUnit.MINUTES);
    }
}
