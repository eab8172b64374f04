-- wrk script: TokenUpdates for a fleet of DEVICES device ids (default 100000), each body a real
-- device-style XML plist with Apple's DOCTYPE, a fresh PushMagic and a 32-byte token.
--   wrk -t2 -c64 -d30s --latency -s bench/tokenupdate.lua http://127.0.0.1:8080
local devices = tonumber(os.getenv("DEVICES") or "100000")
local counter = 0

local template = [[<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE plist PUBLIC "-//Apple//DTD PLIST 1.0//EN" "http://www.apple.com/DTDs/PropertyList-1.0.dtd">
<plist version="1.0">
<dict>
	<key>AwaitingConfiguration</key>
	<false/>
	<key>MessageType</key>
	<string>TokenUpdate</string>
	<key>PushMagic</key>
	<string>%s</string>
	<key>Token</key>
	<data>
	%s
	</data>
	<key>Topic</key>
	<string>com.apple.mgmt.External.bench</string>
	<key>UDID</key>
	<string>%s</string>
	<key>UnlockToken</key>
	<data>
	AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8gISIjJCUmJygpKissLS4vMDEyMzQ1Njc4OTo7PD0+P0BBQkNERUZHSElKS0xNTk9QUVJTVFVWV1hZWltcXV5fYGFiY2RlZmdoaWprbG1ub3BxcnN0dXZ3eHl6e3x9fn8=
	</data>
</dict>
</plist>
]]

local headers = { ["Content-Type"] = "application/x-apple-aspen-mdm-checkin" }
local b64 = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"

local function token()
  local t = {}
  for i = 1, 43 do
    local n = math.random(64)
    t[i] = b64:sub(n, n)
  end
  return table.concat(t) .. "="
end

-- thread_id is a global that setup() gives each thread's state (thread:set); a local of the same
-- name would shadow it, so every thread would seed alike and send the same devices and tokens.
local next_id = 0
function setup(thread)
  next_id = next_id + 1
  thread:set("thread_id", next_id)
end

function init(args)
  math.randomseed(os.time() * 1000 + thread_id)
end

function request()
  counter = counter + 1
  local udid = string.format("BENCH-%09d", math.random(devices))
  local magic = string.format("magic-%d-%d", thread_id, counter)
  return wrk.format("PUT", "/mdm/checkin", headers, string.format(template, magic, token(), udid))
end
