// The probes, drawn by the GPU straight from typed arrays: a MapLibre custom layer.
//
// Why not a GeoJSON source and a circle layer: at RIPE Atlas scale (15,000 probes) MapLibre
// cuts a GeoJSON source into tiles in its worker, and does it again at every zoom level. On a
// software-rendered browser that took 2 to 3 s before the first probe showed (BENCHMARKS.md).
// Here one buffer upload draws them all, at any zoom, in the next frame; hover and click find
// a probe with `nearestProbe` (probe-points.ts).
import type { CustomLayerInterface, CustomRenderMethodInput, Map as MapLibreMap } from "maplibre-gl";
import { bindAttribute, compileProgram, deleteGlState, worldOffsets } from "./gl-program";
import type { ProbePoints } from "./probe-points";

/** Radius in CSS pixels by zoom: 2.5 at the world view (zoom 1), 5 from zoom 5, linear between. */
export function probeRadius(zoom: number): number {
  const t = Math.min(Math.max((zoom - 1) / 4, 0), 1);
  return 2.5 + t * 2.5;
}

/** Opacity of every probe with no PoP selected; with one, its probes are opaque and ringed, the rest faint. */
export const PROBE_OPACITY = { all: 0.85, selected: 1, faded: 0.08 };
const RING_PX = 0.6;
/** Below every group a point can have (a PoP id, a candidate PoP at -1, -2, ..., or NO_GROUP). */
const NO_SELECTION = -2_000_000;

const VERTEX_SHADER = `#version 300 es
uniform mat4 u_matrix;
uniform float u_world_offset;
uniform float u_radius;
uniform float u_pixel_ratio;
uniform float u_selected;
in vec2 a_position;
in vec3 a_color;
in float a_pop;
out vec4 v_color;
out float v_ring;
void main() {
  gl_Position = u_matrix * vec4(a_position.x + u_world_offset, a_position.y, 0.0, 1.0);
  bool any_selected = u_selected > ${NO_SELECTION + 0.5};
  bool chosen = any_selected && abs(a_pop - u_selected) < 0.5;
  float alpha = any_selected ? (chosen ? ${PROBE_OPACITY.selected.toFixed(2)} : ${PROBE_OPACITY.faded.toFixed(2)}) : ${PROBE_OPACITY.all.toFixed(2)};
  float radius = u_radius + (chosen ? ${RING_PX.toFixed(2)} : 0.0);
  // The share of the disc that is the white ring, 0 when not chosen.
  v_ring = chosen ? ${RING_PX.toFixed(2)} / radius : 0.0;
  gl_PointSize = 2.0 * radius * u_pixel_ratio;
  // MapLibre blends premultiplied colours.
  v_color = vec4(a_color * alpha, alpha);
}`;

const FRAGMENT_SHADER = `#version 300 es
precision mediump float;
in vec4 v_color;
in float v_ring;
out vec4 fragColor;
void main() {
  vec2 from_centre = gl_PointCoord * 2.0 - 1.0;
  float distance = length(from_centre);
  if (distance > 1.0) discard;
  fragColor = distance > 1.0 - v_ring ? vec4(v_color.a) : v_color;
}`;

type GlState = {
  program: WebGLProgram;
  vao: WebGLVertexArrayObject;
  buffers: { position: WebGLBuffer; color: WebGLBuffer; pop: WebGLBuffer };
  uniforms: Record<"matrix" | "worldOffset" | "radius" | "pixelRatio" | "selected", WebGLUniformLocation | null>;
};

export class ProbeLayer implements CustomLayerInterface {
  readonly type = "custom";
  readonly renderingMode = "2d";
  private map: MapLibreMap | null = null;
  private gl: WebGL2RenderingContext | null = null;
  private state: GlState | null = null;
  private points: ProbePoints | null = null;
  private uploaded = true;
  private selectedPop = NO_SELECTION;
  /** Probes in the buffers the last frame drew from (0 before the first). */
  drawnCount = 0;

  constructor(
    readonly id: string,
    /** Called after each frame that drew probes, with how many. */
    private readonly onDrawn?: (count: number) => void,
  ) {}

  /** New probes: uploaded and drawn in the next frame. */
  setPoints(points: ProbePoints) {
    this.points = points;
    this.uploaded = false;
    this.map?.triggerRepaint();
  }

  /** Highlights one PoP's probes (null: all alike). */
  setSelectedPop(popId: number | null) {
    this.selectedPop = popId ?? NO_SELECTION;
    this.map?.triggerRepaint();
  }

  onAdd(map: MapLibreMap, gl: WebGLRenderingContext | WebGL2RenderingContext) {
    // MapLibre 5 and later always create a WebGL 2 context.
    const gl2 = gl as WebGL2RenderingContext;
    const program = compileProgram(gl2, VERTEX_SHADER, FRAGMENT_SHADER, "probe layer");

    const vao = gl2.createVertexArray()!;
    const buffers = { position: gl2.createBuffer()!, color: gl2.createBuffer()!, pop: gl2.createBuffer()! };
    gl2.bindVertexArray(vao);
    bindAttribute(gl2, program, "a_position", buffers.position, 2, gl2.FLOAT);
    bindAttribute(gl2, program, "a_color", buffers.color, 3, gl2.UNSIGNED_BYTE, true);
    bindAttribute(gl2, program, "a_pop", buffers.pop, 1, gl2.FLOAT);
    gl2.bindVertexArray(null);

    const uniform = (name: string) => gl2.getUniformLocation(program, name);
    this.state = {
      program,
      vao,
      buffers,
      uniforms: { matrix: uniform("u_matrix"), worldOffset: uniform("u_world_offset"), radius: uniform("u_radius"), pixelRatio: uniform("u_pixel_ratio"), selected: uniform("u_selected") },
    };
    this.map = map;
    this.gl = gl2;
    this.uploaded = false;
  }

  onRemove() {
    const { gl, state } = this;
    if (gl && state) deleteGlState(gl, state);
    this.state = null;
    this.gl = null;
    this.map = null;
  }

  render(gl: WebGLRenderingContext | WebGL2RenderingContext, options: CustomRenderMethodInput) {
    const { state, points, map } = this;
    if (!state || !points || !map) return;
    const gl2 = gl as WebGL2RenderingContext;
    if (!this.uploaded) {
      for (const [buffer, data] of [
        [state.buffers.position, points.position],
        [state.buffers.color, points.color],
        [state.buffers.pop, points.pop],
      ] as const) {
        gl2.bindBuffer(gl2.ARRAY_BUFFER, buffer);
        gl2.bufferData(gl2.ARRAY_BUFFER, data, gl2.STATIC_DRAW);
      }
      this.uploaded = true;
    }
    if (points.count === 0) {
      this.drawnCount = 0;
      return;
    }
    gl2.useProgram(state.program);
    gl2.bindVertexArray(state.vao);
    gl2.uniformMatrix4fv(state.uniforms.matrix, false, options.defaultProjectionData.mainMatrix);
    gl2.uniform1f(state.uniforms.radius, probeRadius(map.getZoom()));
    gl2.uniform1f(state.uniforms.pixelRatio, map.getPixelRatio());
    gl2.uniform1f(state.uniforms.selected, this.selectedPop);
    // The world and the copies of it in view (MapLibre repeats the world when zoomed out).
    for (const offset of worldOffsets(map)) {
      gl2.uniform1f(state.uniforms.worldOffset, offset);
      gl2.drawArrays(gl2.POINTS, 0, points.count);
    }
    gl2.bindVertexArray(null);
    this.drawnCount = points.count;
    this.onDrawn?.(points.count);
  }
}
