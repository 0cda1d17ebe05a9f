-- make bench, fresh mode: every request asks for a different path, read from the file named
-- after "--" (one path a line). Thread n of N takes paths n, n+N, n+2N, ...: no path is asked
-- for twice unless the list runs out, which `wrapped` reports (the run is then not fresh).
local threads = {}

function setup(thread)
  table.insert(threads, thread)
  thread:set("id", #threads)
end

function init(args)
  paths = {}
  for line in io.lines(args[1]) do
    paths[#paths + 1] = line
  end
  step = tonumber(args[2])
  index = id
  wrapped = 0
end

function request()
  if index > #paths then
    index = id
    wrapped = 1
  end
  local path = paths[index]
  index = index + step
  return wrk.format(nil, path)
end

function done(summary, latency, requests)
  local wrapped_threads = 0
  for _, thread in ipairs(threads) do
    wrapped_threads = wrapped_threads + thread:get("wrapped")
  end
  io.write(string.format("Threads that ran out of paths: %d\n", wrapped_threads))
end
