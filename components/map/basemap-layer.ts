// The basemap (the land and the borders), drawn by the GPU from a mesh built on the server
// (lib/domain/basemap-mesh.ts): a MapLibre custom layer under the probes.
//
// Why not a GeoJSON source with fill and line layers: MapLibre cuts a GeoJSON source into
// tiles in its worker. On a software-rendered browser, with the worker sharing two cores with
// the page, that put the land on screen seconds after the probes (BENCHMARKS.md). The mesh
// is drawn in the first frame, with the probes.
import type { CustomLayerInterface, CustomRenderMethodInput, Map as MapLibreMap } from "maplibre-gl";
import { borderSegments, type BasemapMesh } from "@/lib/domain/basemap-mesh";
import { bindAttribute, compileProgram, deleteGlState, worldOffsets } from "./gl-program";
import { MAP_COLORS } from "./map-colors";
import { hexToRgb } from "./probe-points";

/** Served by app/basemap/countries-mesh.json/route.ts, built once at build time. */
export const BASEMAP_URL = "/basemap/countries-mesh.json";

// The mesh is read as soon as the map's code is evaluated in the browser (the map page also
// preloads it), and once per page: it never changes while the console runs.
let meshRead: Promise<BasemapMesh> | null = null;
export function loadBasemapMesh(): Promise<BasemapMesh> {
  meshRead ??= fetch(BASEMAP_URL).then((response) => {
    if (!response.ok) throw new Error(`the basemap (${BASEMAP_URL}): HTTP ${response.status}`);
    return response.json() as Promise<BasemapMesh>;
  });
  return meshRead;
}
if (typeof window !== "undefined") loadBasemapMesh().catch(() => (meshRead = null));

const VERTEX_SHADER = `#version 300 es
uniform mat4 u_matrix;
uniform float u_world_offset;
in vec2 a_position;
void main() {
  gl_Position = u_matrix * vec4(a_position.x + u_world_offset, a_position.y, 0.0, 1.0);
}`;

const FRAGMENT_SHADER = `#version 300 es
precision mediump float;
uniform vec4 u_color;
out vec4 fragColor;
void main() {
  fragColor = u_color;
}`;

const rgba = (hex: string) => [...hexToRgb(hex).map((channel) => channel / 255), 1] as [number, number, number, number];
const LAND = rgba(MAP_COLORS.land);
const BORDER = rgba(MAP_COLORS.border);

type GlState = {
  program: WebGLProgram;
  vao: WebGLVertexArrayObject;
  buffers: { position: WebGLBuffer; triangles: WebGLBuffer; borders: WebGLBuffer };
  uniforms: Record<"matrix" | "worldOffset" | "color", WebGLUniformLocation | null>;
};

export class BasemapLayer implements CustomLayerInterface {
  readonly type = "custom";
  readonly renderingMode = "2d";
  private map: MapLibreMap | null = null;
  private state: GlState | null = null;
  private mesh: BasemapMesh | null = null;
  /** Index counts of the uploaded mesh; null until it is uploaded. */
  private counts: { triangles: number; borders: number } | null = null;
  /** Whether the last frame drew the land. */
  drawn = false;

  constructor(readonly id: string) {}

  setMesh(mesh: BasemapMesh) {
    this.mesh = mesh;
    this.counts = null;
    this.map?.triggerRepaint();
  }

  onAdd(map: MapLibreMap, gl: WebGLRenderingContext | WebGL2RenderingContext) {
    // MapLibre 5 and later always create a WebGL 2 context.
    const gl2 = gl as WebGL2RenderingContext;
    const program = compileProgram(gl2, VERTEX_SHADER, FRAGMENT_SHADER, "basemap layer");
    const vao = gl2.createVertexArray()!;
    const buffers = { position: gl2.createBuffer()!, triangles: gl2.createBuffer()!, borders: gl2.createBuffer()! };
    gl2.bindVertexArray(vao);
    bindAttribute(gl2, program, "a_position", buffers.position, 2, gl2.FLOAT);
    gl2.bindVertexArray(null);
    const uniform = (name: string) => gl2.getUniformLocation(program, name);
    this.state = { program, vao, buffers, uniforms: { matrix: uniform("u_matrix"), worldOffset: uniform("u_world_offset"), color: uniform("u_color") } };
    this.map = map;
    this.counts = null;
  }

  onRemove(_map: MapLibreMap, gl: WebGLRenderingContext | WebGL2RenderingContext) {
    if (this.state) deleteGlState(gl as WebGL2RenderingContext, this.state);
    this.state = null;
    this.map = null;
  }

  render(gl: WebGLRenderingContext | WebGL2RenderingContext, options: CustomRenderMethodInput) {
    const { state, mesh, map } = this;
    this.drawn = false;
    if (!state || !mesh || !map) return;
    const gl2 = gl as WebGL2RenderingContext;
    gl2.bindVertexArray(state.vao);
    if (!this.counts) {
      const borders = borderSegments(mesh.rings);
      gl2.bindBuffer(gl2.ARRAY_BUFFER, state.buffers.position);
      gl2.bufferData(gl2.ARRAY_BUFFER, new Float32Array(mesh.positions), gl2.STATIC_DRAW);
      gl2.bindBuffer(gl2.ELEMENT_ARRAY_BUFFER, state.buffers.triangles);
      gl2.bufferData(gl2.ELEMENT_ARRAY_BUFFER, new Uint32Array(mesh.triangles), gl2.STATIC_DRAW);
      gl2.bindBuffer(gl2.ELEMENT_ARRAY_BUFFER, state.buffers.borders);
      gl2.bufferData(gl2.ELEMENT_ARRAY_BUFFER, borders, gl2.STATIC_DRAW);
      this.counts = { triangles: mesh.triangles.length, borders: borders.length };
    }
    gl2.useProgram(state.program);
    gl2.uniformMatrix4fv(state.uniforms.matrix, false, options.defaultProjectionData.mainMatrix);
    for (const offset of worldOffsets(map)) {
      gl2.uniform1f(state.uniforms.worldOffset, offset);
      gl2.uniform4fv(state.uniforms.color, LAND);
      gl2.bindBuffer(gl2.ELEMENT_ARRAY_BUFFER, state.buffers.triangles);
      gl2.drawElements(gl2.TRIANGLES, this.counts.triangles, gl2.UNSIGNED_INT, 0);
      gl2.uniform4fv(state.uniforms.color, BORDER);
      gl2.bindBuffer(gl2.ELEMENT_ARRAY_BUFFER, state.buffers.borders);
      gl2.drawElements(gl2.LINES, this.counts.borders, gl2.UNSIGNED_INT, 0);
    }
    gl2.bindVertexArray(null);
    this.drawn = true;
  }
}
