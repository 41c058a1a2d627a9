-- wrk script for bench/heartbeats.py: every request is a valid heartbeat of one of many views, round-robin,
-- so no view beats more often than the server allows. Acknowledged (view, seq) pairs are appended to
-- ACKS_PREFIX..thread_id, one per line, for the "nothing lost" check.
-- Views come from VIEWS_FILE: lines "view_id<TAB>token<TAB>forwarded_for". A run starts each view at
-- START_SEQ (1: the view's first beat, a "start"); a later run must start above the seqs of an earlier one.

local threads = {}
local thread_count = tonumber(os.getenv("WRK_THREADS") or "1")
local start_seq = tonumber(os.getenv("START_SEQ") or "1")
local next_id = 0

function setup(thread)
  thread:set("id", next_id)
  next_id = next_id + 1
  table.insert(threads, thread)
end

function init(args)
  views, sent = {}, {}
  local index = 0
  for line in io.lines(os.getenv("VIEWS_FILE")) do
    if index % thread_count == id then
      local view, token, address = line:match("([^\t]+)\t([^\t]+)\t([^\t]+)")
      table.insert(views, { view = view, token = token, address = address })
      table.insert(sent, 0)
    end
    index = index + 1
  end
  cursor = 0
  acks = io.open(os.getenv("ACKS_PREFIX") .. id, "w")
  acks:setvbuf("line")
end

local body_format = '{"view":"%s","token":"%s","seq":%d,"event":"%s","position":%d,"duration":600,' ..
  '"sections":[[%d,%d]],"played_ms":%d,"stall_ms":0,"stall_count":0,"seeks":0,"startup_ms":420,' ..
  '"bitrate_ms":{"800000":%d},"bitrate":800000,"rendition_height":720,"player_height":720,"upscale_ms":0,' ..
  '"ended":false,"error":null,"hidden":false}'

function request()
  cursor = cursor % #views + 1
  local v = views[cursor]
  local count = sent[cursor]
  sent[cursor] = count + 1
  local seq = start_seq + count
  local position = (2 * seq) % 598 + 2
  local played = 1000 * (count + (start_seq > 1 and 30 or 0))  -- well below the time since the token was issued
  local event = seq == 1 and "start" or "hb"
  local body = string.format(body_format, v.view, v.token, seq, event, position, position - 2, position, played, played)
  return wrk.format("POST", nil, { ["Content-Type"] = "application/json", ["X-Forwarded-For"] = v.address }, body)
end

function response(status, headers, body)
  if status == 200 then
    local view, seq = body:match('"view":"([^"]+)","seq":(%d+)')
    if view then acks:write(view, " ", seq, "\n") end
  end
end
