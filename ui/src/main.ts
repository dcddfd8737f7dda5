import { mount } from "svelte";
import App from "./App.svelte";
import Briefing from "./features/briefing/Briefing.svelte";
import "./styles.css";

const target = document.getElementById("app");
if (!target) throw new Error("index.html has no #app element");
// The executive's read-only window loads the same bundle with `?briefing`.
const briefing = new URLSearchParams(location.search).has("briefing");
export default briefing ? mount(Briefing, { target }) : mount(App, { target });
