// Face detection worker (docs/decisions/022-face-detection.md). Runs in a worker thread so the
// seconds of WASM inference never block the server's event loop. Everything it loads ships inside
// npm packages: the TensorFlow.js WASM binary (@tensorflow/tfjs-backend-wasm/dist) and the
// SSD MobileNet v1 weights (@vladmandic/face-api/model). Nothing is downloaded.
// Protocol: receives { id, data: Uint8Array (RGB), width, height }, answers
// { id, faces: [{ x, y, width, height, score }] } or { id, error }.
import fs from 'node:fs'
import { createRequire } from 'node:module'
import path from 'node:path'
import { parentPort } from 'node:worker_threads'

// tfjs and face-api are CommonJS packages; face-api's node-wasm build expects require().
const load = createRequire(import.meta.url)

const MIN_CONFIDENCE = 0.3 // low on purpose: a false alarm costs a blur, a miss costs a child's privacy

let ready = null
function start() {
  ready ??= (async () => {
    const tf = load('@tensorflow/tfjs')
    const wasm = load('@tensorflow/tfjs-backend-wasm')
    const faceapi = load('@vladmandic/face-api/dist/face-api.node-wasm.js')
    wasm.setWasmPaths(path.dirname(load.resolve('@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm.wasm')) + path.sep)
    if (!(await tf.setBackend('wasm'))) throw new Error('tfjs wasm backend did not start')
    await tf.ready()
    const modelDir = path.join(path.dirname(load.resolve('@vladmandic/face-api/package.json')), 'model')
    const manifest = JSON.parse(fs.readFileSync(path.join(modelDir, 'ssd_mobilenetv1_model-weights_manifest.json'), 'utf8'))
    const buffers = manifest.flatMap((group) => group.paths.map((p) => fs.readFileSync(path.join(modelDir, p))))
    const joined = Buffer.concat(buffers)
    const weights = tf.io.decodeWeights(
      joined.buffer.slice(joined.byteOffset, joined.byteOffset + joined.byteLength),
      manifest.flatMap((group) => group.weights),
    )
    await faceapi.nets.ssdMobilenetv1.loadFromWeightMap(weights)
    return { tf, faceapi, options: new faceapi.SsdMobilenetv1Options({ minConfidence: MIN_CONFIDENCE, maxResults: 100 }) }
  })()
  return ready
}

parentPort.on('message', async (message) => {
  try {
    const { tf, faceapi, options } = await start()
    const input = tf.tensor3d(message.data, [message.height, message.width, 3], 'int32')
    let detections
    try {
      detections = await faceapi.detectAllFaces(input, options)
    } finally {
      input.dispose()
    }
    const faces = detections.map((d) => ({
      x: Math.max(0, Math.round(d.box.x)),
      y: Math.max(0, Math.round(d.box.y)),
      width: Math.round(d.box.width),
      height: Math.round(d.box.height),
      score: Math.round(d.score * 100) / 100,
    }))
    parentPort.postMessage({ id: message.id, faces })
  } catch (error) {
    parentPort.postMessage({ id: message.id, error: String((error && error.stack) || error) })
  }
})
