-- wrk script: signed TokenUpdates (MDMGW_DEVICE_AUTH=signature) from a fleet prepared by
-- bench/SignedFleet.java, since wrk's Lua cannot sign. Each request is a random device's
-- pre-signed body with its Mdm-Signature.
--   SIGNED_FLEET=bench/signed-fleet.lua wrk -t2 -c64 -d30s --latency -s bench/tokenupdate-signed.lua http://127.0.0.1:8080
local path = os.getenv("SIGNED_FLEET") or "bench/signed-fleet.lua"
local fleet, devices
local headers = { ["Content-Type"] = "application/x-apple-aspen-mdm-checkin" }

-- thread_id is a global that setup() gives each thread's state (thread:set); a local of the same
-- name would shadow it and seed every thread alike.
local next_id = 0
function setup(thread)
  next_id = next_id + 1
  thread:set("thread_id", next_id)
end

-- Loaded in init, not at the top: the top level also runs in wrk's main Lua state, which sends
-- nothing, and the fleet is ~2.6 KB a device. wrk calls each thread's init before starting that
-- thread, one after the other, so a long load here lets the threads already started send before
-- the clock starts. The time is printed to judge that: 10,000 devices (26 MB) load in ~0.2 s a
-- thread on a 2-core box, which is noise in a 30 s run; ten times as many would not be.
function init(args)
  local t0 = os.clock()
  fleet = dofile(path)
  devices = #fleet
  assert(devices > 0, path .. ": no devices")
  io.stderr:write(string.format("thread %d: %d signed devices loaded from %s in %.2f s\n",
    thread_id, devices, path, os.clock() - t0))
  math.randomseed(os.time() * 1000 + thread_id)
end

function request()
  local r = fleet[math.random(devices)]
  headers["Mdm-Signature"] = r.sig
  return wrk.format("PUT", "/mdm/checkin", headers, r.body)
end
