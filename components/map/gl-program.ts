// What the map's own WebGL layers (the basemap, the probes) share: building a shader program,
// feeding its attributes, freeing it all, and the copies of the world a frame shows.
import type { Map as MapLibreMap } from "maplibre-gl";

function compile(gl: WebGL2RenderingContext, type: number, source: string): WebGLShader {
  const shader = gl.createShader(type)!;
  gl.shaderSource(shader, source);
  gl.compileShader(shader);
  return shader;
}

/**
 * A linked program of a vertex and a fragment shader; `name` says which layer's in an error.
 * Only the link status is asked for: each status is a round trip to the GPU process that waits
 * for the compilation (tens of ms each with software WebGL), and a shader that did not compile
 * fails the link too. Its log is read then.
 */
export function compileProgram(gl: WebGL2RenderingContext, vertex: string, fragment: string, name: string): WebGLProgram {
  const program = gl.createProgram()!;
  const shaders = [compile(gl, gl.VERTEX_SHADER, vertex), compile(gl, gl.FRAGMENT_SHADER, fragment)];
  for (const shader of shaders) gl.attachShader(program, shader);
  gl.linkProgram(program);
  if (!gl.getProgramParameter(program, gl.LINK_STATUS)) {
    const logs = shaders.map((shader) => gl.getShaderInfoLog(shader)).filter(Boolean);
    throw new Error(`${name} program: ${[...logs, gl.getProgramInfoLog(program)].join(" ")}`);
  }
  return program;
}

/**
 * The world offsets a frame shows: 0 for the world itself, -1 and 1 for the copies either
 * side, more when zoomed far out on a wide screen. Each is drawn shifted by its offset.
 */
export function worldOffsets(map: MapLibreMap): number[] {
  const bounds = map.getBounds();
  const first = Math.floor((bounds.getWest() + 180) / 360);
  const last = Math.floor((bounds.getEast() + 180) / 360);
  const offsets: number[] = [];
  for (let offset = first; offset <= last; offset++) offsets.push(offset);
  return offsets;
}

/** Feeds a vertex attribute of `program` from `buffer`, into the vertex array bound now. */
export function bindAttribute(gl: WebGL2RenderingContext, program: WebGLProgram, name: string, buffer: WebGLBuffer, size: number, type: number, normalized = false) {
  const location = gl.getAttribLocation(program, name);
  gl.bindBuffer(gl.ARRAY_BUFFER, buffer);
  gl.enableVertexAttribArray(location);
  gl.vertexAttribPointer(location, size, type, normalized, 0, 0);
}

/** Frees what a layer made in `onAdd`: its program, its vertex array and its buffers. */
export function deleteGlState(gl: WebGL2RenderingContext, state: { program: WebGLProgram; vao: WebGLVertexArrayObject; buffers: Record<string, WebGLBuffer> }) {
  gl.deleteProgram(state.program);
  gl.deleteVertexArray(state.vao);
  for (const buffer of Object.values(state.buffers)) gl.deleteBuffer(buffer);
}
